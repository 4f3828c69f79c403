#!/usr/bin/env bash
# Runs the benchmarks (JUnit classes named *Benchmark under src/test/java/io/logexaminer/bench), which the normal
# test run leaves out. Each prints ratios against a peer measured in the same run.
#   scripts/bench.sh                 every benchmark
#   scripts/bench.sh MirrorBenchmark  one of them (bench/startup.sh times start-up)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
logexaminer_find_jdk
logexaminer_maven_opts
export PATH="$PWD/.test-env/venv/bin:$PATH"
exec mvn -B -ntp -q test -Dtest="${1:-*Benchmark}" -Dsurefire.failIfNoSpecifiedTests=false -Dtests.outputToFile=false
