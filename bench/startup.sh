#!/usr/bin/env bash
# Startup benchmark: median wall time of `logexaminer --version` and of `up --dry-run` on the example, for
#   jvm      the plain JVM launch (java -cp logexaminer.jar, no cache),
#   aot      the launcher install.sh writes (JVM with the AOT cache trained at install, on JDK 25+),
#   kubectl  `kubectl version --client`, a native CLI peer measured in the same run,
# and the ratios against kubectl. Needs no AWS account: the dry run reads no credentials.
#   bench/startup.sh [RUNS]    (default 11 runs per command; prints one line per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-11}"
command -v kubectl >/dev/null 2>&1 || { echo "startup: kubectl is needed as the native peer (apt-get install kubectl, or from dl.k8s.io)" >&2; exit 1; }
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
logexaminer_find_jdk

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
./install.sh --prefix "$prefix" >/dev/null 2>"$prefix/install.log" || { cat "$prefix/install.log" >&2; exit 1; }
share="$prefix/share/logexaminer"
launcher="$prefix/bin/logexaminer"
example="$PWD/examples/platform.yaml"
no_aws=(env AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
        AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_PROFILE=)

# median_ms RUNS COMMAND...: runs the command RUNS times (output discarded) and prints the median in ms
median_ms() {
    local n=$1; shift
    local times=() start end
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$n"); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}

jvm=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$share/logexaminer.jar" io.logexaminer.cli.Main)
kubectl_ms=$(median_ms "$runs" kubectl version --client)
jvm_version=$(median_ms "$runs" "${jvm[@]}" --version)
aot_version=$(median_ms "$runs" "$launcher" --version)
jvm_dry=$(median_ms "$runs" "${no_aws[@]}" "${jvm[@]}" up --dry-run -f "$example")
aot_dry=$(median_ms "$runs" "${no_aws[@]}" "$launcher" up --dry-run -f "$example")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
aot_note="with AOT caches"
[ -f "$share/aot/base.aot" ] || aot_note="no AOT cache: JDK $LOGEXAMINER_JAVA_MAJOR < 25"
echo "startup, median of $runs runs (JDK $LOGEXAMINER_JAVA_MAJOR; launcher $aot_note)"
echo "  kubectl version --client        ${kubectl_ms} ms"
echo "  --version         jvm ${jvm_version} ms ($(ratio "$jvm_version" "$kubectl_ms") kubectl)   aot ${aot_version} ms ($(ratio "$aot_version" "$kubectl_ms") kubectl; $(ratio "$jvm_version" "$aot_version") faster than jvm)"
echo "  up --dry-run      jvm ${jvm_dry} ms ($(ratio "$jvm_dry" "$kubectl_ms") kubectl)   aot ${aot_dry} ms ($(ratio "$aot_dry" "$kubectl_ms") kubectl; $(ratio "$jvm_dry" "$aot_dry") faster than jvm)"
