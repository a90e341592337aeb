#!/bin/sh
# azd runs this in web/ before packaging it: copies the static site into dist/ and points its config.json at
# the deployed API (API_BASE_URL, an output of infra/main.bicep that azd puts in the environment).
set -eu
if [ -z "${API_BASE_URL:-}" ]; then
  echo "API_BASE_URL is not set; run azd provision first" >&2
  exit 1
fi
rm -rf dist
mkdir dist
for entry in *; do
  [ "$entry" = dist ] || cp -R "$entry" dist/
done
printf '{\n  "apiBaseUrl": "%s"\n}\n' "$API_BASE_URL" > dist/config.json
echo "web/dist/config.json points at $API_BASE_URL"
