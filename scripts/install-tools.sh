#!/usr/bin/env bash
# Installs the Node.js tools the run and test commands use (Azurite; axe-core for the browser tests' accessibility
# checks) into tools/node_modules, which git ignores.
# Safe to run again: npm ci is skipped while the lock file has not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../tools"

command -v node >/dev/null || { echo "Node.js 20+ is required (https://nodejs.org)" >&2; exit 1; }
stamp=node_modules/.installed-from-lock
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
