#!/usr/bin/env bash
# Runs every check CI runs, on a fresh clone: installs the tools (Azurite and axe-core from npm, Chromium from
# Debian when missing, the Bicep CLI from NuGet), verifies formatting, builds, compiles and lints the Bicep in
# infra/, and runs all tests: unit tests, HTTP tests through the dev host against private Azurite instances the
# tests start themselves, engine and reliability suites, and browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh

echo "== dotnet format --verify-no-changes"
dotnet format PushResume.sln --verify-no-changes

echo "== dotnet build"
dotnet build PushResume.sln -c Release --nologo -clp:ErrorsOnly

# The browser tests drive Debian's Chromium; never a browser download.
if ! command -v chromium >/dev/null; then
  echo "== installing Chromium (apt-get)"
  sudo=$([[ $EUID -eq 0 ]] || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

echo "== bicep build and lint (Bicep CLI from NuGet)"
dotnet restore scripts/bicep/BicepCli.proj --nologo -v quiet
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep=$(ls -d "${packages%/}"/azure.bicep.commandline.linux-x64/*/tools | sort -V | tail -1)/bicep
chmod +x "$bicep"
mkdir -p .local/infra
"$bicep" build infra/main.bicep --outfile .local/infra/main.json
# Any finding, warning or error, fails the run; the tests then read the compiled template.
lint=$("$bicep" lint infra/main.bicep 2>&1)
if [[ -n $lint ]]; then
  echo "$lint"
  exit 1
fi

echo "== dotnet test"
mkdir -p .local
log=.local/test-output.txt
set +e
dotnet test PushResume.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line a CI reader understands, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
     }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
