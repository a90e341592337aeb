#!/usr/bin/env bash
# Runs every check CI runs, on a fresh clone: installs the tools, verifies formatting, builds, and runs all tests
# (unit tests, and HTTP tests through the dev host against private Azurite instances the tests start themselves).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh

echo "== dotnet format --verify-no-changes"
dotnet format PushResume.sln --verify-no-changes

echo "== dotnet build"
dotnet build PushResume.sln -c Release --nologo -clp:ErrorsOnly

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
