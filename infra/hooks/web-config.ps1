# azd runs this in web/ before packaging it: copies the static site into dist/, points its config.json at the
# deployed API (API_BASE_URL, an output of infra/main.bicep that azd puts in the environment), and lets the
# Content-Security-Policy of staticwebapp.config.json connect to that API and nowhere else.
$ErrorActionPreference = 'Stop'
if (-not $env:API_BASE_URL) { throw 'API_BASE_URL is not set; run azd provision first' }
if (Test-Path dist) { Remove-Item dist -Recurse -Force }
New-Item -ItemType Directory dist | Out-Null
# package.json is only there for azd's npm steps; the site itself is every other file.
Get-ChildItem -Force |
    Where-Object { $_.Name -notin 'dist', 'node_modules', 'package.json', 'package-lock.json' } |
    Copy-Item -Destination dist -Recurse
$api = $env:API_BASE_URL.TrimEnd('/')
@{ apiBaseUrl = $api } | ConvertTo-Json | Set-Content -Path dist/config.json -Encoding utf8
$origin = ([Uri]$api).GetLeftPart([UriPartial]::Authority)
(Get-Content staticwebapp.config.json -Raw).Replace('__API_ORIGIN__', $origin) | Set-Content -Path dist/staticwebapp.config.json -Encoding utf8
Write-Host "web/dist/config.json points at $env:API_BASE_URL"
