#!/usr/bin/env bash
# Installs everything (see setup.sh) and starts the all-in-one server on embedded defaults.
# Extra arguments go to `stratus serve` (e.g. --host, --config FILE, --data-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
STRATUS_SETUP_SKIP_SERVICES=1 bash scripts/setup.sh
exec node --max-semi-space-size=2 packages/server-reference/dist/cli.js serve "$@"
