#!/usr/bin/env bash
# The whole test suite, real components included: setup (installs what is missing), type-check and
# build, lint, then every package's unit, contract and integration tests in one vitest run.
# Ends with the plain line `N passed, N failed` and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

export STRATUS_TEST_PG_URL=${STRATUS_TEST_PG_URL:-postgres://stratus:stratus@127.0.0.1:5432/test}
export STRATUS_TEST_MYSQL_URL=${STRATUS_TEST_MYSQL_URL:-mysql://stratus:stratus@127.0.0.1:3306/test}
export STRATUS_TEST_AMQP_URL=${STRATUS_TEST_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}
results=.test-results
rm -rf "$results" && mkdir -p "$results"

gate() { # name, command...: a check that counts as one test in the closing line
  local name=$1; shift
  if "$@" >"$results/$name.log" 2>&1; then echo "pass" >"$results/$name.gate"; echo "✓ $name";
  else echo "fail" >"$results/$name.gate"; echo "✗ $name"; tail -n 40 "$results/$name.log"; fi
}
gate typecheck pnpm -s build
gate lint pnpm -s exec biome check .

pnpm -s exec vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json" "$@"
node scripts/test-summary.mjs "$results"
