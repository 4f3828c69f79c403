#!/usr/bin/env bash
# The whole test suite against real servers on loopback: installs what the tests need (once), then builds and runs
# every test. Benchmarks that take long run only with LOGEXAMINER_BENCH=1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
logexaminer_find_jdk
logexaminer_maven_opts
command -v mvn >/dev/null 2>&1 || { echo "test.sh: Maven (mvn) is not installed" >&2; exit 1; }
export PATH="$PWD/.test-env/venv/bin:$PATH"
exec mvn -B -ntp verify "$@"
