#!/usr/bin/env bash
# Sourced by .ci/run: installs Chromium from Debian's packages when missing, for the dashboard's browser tests
# (Playwright drives it through its executable path; Playwright's own browser download is not used).
set -u
CHROMIUM_CI="${WEBHOOKS_TEST_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_CI" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null || return 1
fi
export WEBHOOKS_TEST_CHROMIUM="$CHROMIUM_CI"
echo "Chromium: $("$CHROMIUM_CI" --version 2>/dev/null | head -n1)"
