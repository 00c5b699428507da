#!/usr/bin/env bash
# Called by .ci/run after the tests (the solution is already built in Release).
# A smoke run of the load harness: tiny counts, loopback only; it checks that every request was answered 2xx and
# every delivery arrived, not how fast. Uses the CI PostgreSQL when .ci/postgres.sh exported WEBHOOKS_TEST_POSTGRES.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "load harness smoke run"
timeout 300 dotnet run -c Release --no-build --project tests/Webhooks.LoadHarness -- --smoke
