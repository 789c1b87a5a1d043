#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is missing, build, and run Folio's main job —
# the desktop window, or (where there is no display) the headless demo over the sample documents.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target folio
exec build/release/bin/folio "$@"
