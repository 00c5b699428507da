#!/usr/bin/env bash
# Extra CI checks, run by .ci/run after the tests. Each line is one check; any failure fails the run.
set -uo pipefail
cd "$(dirname "$0")"
rc=0
./pack-consume.sh || rc=1
./trim-check.sh || rc=1
exit $rc
