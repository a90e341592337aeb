#!/bin/sh
# azd runs this in web/ before packaging it: copies the static site into dist/, points its config.json at the
# deployed API (API_BASE_URL, an output of infra/main.bicep that azd puts in the environment), and lets the
# Content-Security-Policy of staticwebapp.config.json connect to that API and nowhere else.
set -eu
if [ -z "${API_BASE_URL:-}" ]; then
  echo "API_BASE_URL is not set; run azd provision first" >&2
  exit 1
fi
rm -rf dist
mkdir dist
# package.json is only there for azd's npm steps; the site itself is every other file.
for entry in *; do
  case "$entry" in
    dist | node_modules | package.json | package-lock.json) ;;
    *) cp -R "$entry" dist/ ;;
  esac
done
api=${API_BASE_URL%/}
printf '{\n  "apiBaseUrl": "%s"\n}\n' "$api" > dist/config.json
origin=$(printf '%s' "$api" | sed -E 's#^(https?://[^/]+).*#\1#')
sed "s#__API_ORIGIN__#$origin#g" staticwebapp.config.json > dist/staticwebapp.config.json
echo "web/dist/config.json points at $API_BASE_URL"
