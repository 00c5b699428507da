#!/usr/bin/env bash
# Called by .ci/run after the tests (the solution is already built in Release). Each check runs; any failure
# fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0

# A smoke run of the load harness: tiny counts, loopback only; it checks that every request was answered 2xx and
# every delivery arrived, not how fast. Uses the CI PostgreSQL when .ci/postgres.sh exported WEBHOOKS_TEST_POSTGRES.
echo "load harness smoke run"
timeout 300 dotnet run -c Release --no-build --project tests/Webhooks.LoadHarness -- --smoke || rc=1

# Pack every package and build and run a fresh app against them; publish a trimmed receiver app.
.ci/pack-consume.sh || rc=1
.ci/trim-check.sh || rc=1
exit $rc
