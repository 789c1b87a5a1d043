#!/usr/bin/env bash
# One command that installs what is missing, builds everything and runs the whole test suite with ctest.
# Extra arguments go to ctest (e.g. `tools/test.sh -L unit`).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release
cmake --build --preset release
ctest --preset release "$@"
