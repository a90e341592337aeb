# azd runs this in web/ before packaging it: copies the static site into dist/ and points its config.json at
# the deployed API (API_BASE_URL, an output of infra/main.bicep that azd puts in the environment).
$ErrorActionPreference = 'Stop'
if (-not $env:API_BASE_URL) { throw 'API_BASE_URL is not set; run azd provision first' }
if (Test-Path dist) { Remove-Item dist -Recurse -Force }
New-Item -ItemType Directory dist | Out-Null
Get-ChildItem -Force | Where-Object { $_.Name -ne 'dist' } | Copy-Item -Destination dist -Recurse
@{ apiBaseUrl = $env:API_BASE_URL } | ConvertTo-Json | Set-Content -Path dist/config.json -Encoding utf8
Write-Host "web/dist/config.json points at $env:API_BASE_URL"
