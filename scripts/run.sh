#!/usr/bin/env bash
# Runs PushResume locally: Azurite on loopback, local.settings.json from the sample on first run, then the app with
# Azure Functions Core Tools (func start) where it is installed or installable, else with the dev host.
# The API listens on http://127.0.0.1:7071 and the frontend on http://127.0.0.1:4280. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-tools.sh

mkdir -p .local/azurite
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if listening 10002; then
  echo "Azurite is already listening on 127.0.0.1:10000-10002; using it."
else
  echo "Starting Azurite on 127.0.0.1 (data in .local/azurite, log in .local/azurite.log)"
  tools/node_modules/.bin/azurite --disableTelemetry --skipApiVersionCheck \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --location .local/azurite --debug .local/azurite.log >/dev/null 2>&1 &
  azurite_pid=$!
  trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do listening 10002 && break; sleep 0.2; done
  listening 10002 || { echo "Azurite did not start; see .local/azurite.log" >&2; exit 1; }
fi

settings=PushResume.Functions/local.settings.json
# Creates the settings file from the sample with fresh random keys, or adds to an existing one the settings the
# sample has gained since (never changing a value already there), so a pull that adds a setting still starts.
node -e '
  const fs = require("fs");
  const random = () => require("crypto").randomBytes(32).toString("base64");
  const [file] = process.argv.slice(1);
  const sample = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
  if (!fs.existsSync(file)) {
    sample.Values.Jwt__SigningKey = random();
    sample.Values.TokenEncryption__Keys__k1 = random();
    fs.writeFileSync(file, JSON.stringify(sample, null, 2) + "\n");
    console.log("Created " + file + " from local.settings.sample.json with new random keys");
  } else {
    const settings = JSON.parse(fs.readFileSync(file, "utf8"));
    const added = Object.keys(sample.Values).filter(key => !(key in settings.Values));
    if (added.length > 0) {
      added.forEach(key => settings.Values[key] = sample.Values[key]);
      fs.writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");
      console.log("Added to " + file + " from the sample: " + added.join(", "));
    }
  }
' "$settings"

# Core Tools' npm installer downloads the host from a CDN; where that is unreachable, remember and use the dev host.
func_dir=.local/func
if ! command -v func >/dev/null && [[ ! -f $func_dir/install-failed ]]; then
  echo "Trying to install Azure Functions Core Tools into $func_dir ..."
  if timeout 300 npm install --prefix "$func_dir" --no-audit --no-fund --loglevel=error azure-functions-core-tools@4 >/dev/null 2>&1 \
     && "$func_dir/node_modules/.bin/func" --version >/dev/null 2>&1; then
    export PATH="$root/$func_dir/node_modules/.bin:$PATH"
  else
    mkdir -p "$func_dir" && touch "$func_dir/install-failed"
    echo "Core Tools could not be installed here (delete $func_dir/install-failed to try again)."
  fi
elif [[ -x $func_dir/node_modules/.bin/func ]]; then
  export PATH="$root/$func_dir/node_modules/.bin:$PATH"
fi

if command -v func >/dev/null; then
  echo "Starting the frontend on http://127.0.0.1:4280 and the API with Azure Functions Core Tools on http://127.0.0.1:7071"
  dotnet run --project PushResume.DevHost -- --web-only --web-urls http://127.0.0.1:4280 --api-url http://127.0.0.1:7071 &
  web_pid=$!
  trap 'kill "$web_pid" "${azurite_pid:-}" 2>/dev/null || true' EXIT
  cd PushResume.Functions
  func start --port 7071
else
  echo "Starting the dev host (PushResume.DevHost): API on http://127.0.0.1:7071, frontend on http://127.0.0.1:4280"
  dotnet run --project PushResume.DevHost -- --urls http://127.0.0.1:7071 --web-urls http://127.0.0.1:4280
fi
