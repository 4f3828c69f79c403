#!/usr/bin/env bash
# Builds logexaminer and installs the `logexaminer` command.
#   ./install.sh                 installs into ~/.local/bin
#   ./install.sh --prefix DIR    installs DIR/bin/logexaminer (and DIR/share/logexaminer)
# With GraalVM's native-image available it installs the native binary; otherwise a launcher for the JVM build,
# with AOT caches trained here, one per command, when the JDK is 25 or newer (a faster start).
set -euo pipefail

usage() {
    sed -n '2,5s/^# \{0,1\}//p' "$0"
}

prefix="$HOME/.local"
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
# shellcheck source=scripts/jdk.sh
source scripts/jdk.sh
logexaminer_find_jdk
logexaminer_maven_opts
command -v mvn >/dev/null 2>&1 || { echo "install.sh: Maven (mvn) is not installed; install Maven 3.8 or newer" >&2; exit 1; }

prefix="$(mkdir -p "$prefix" && cd "$prefix" && pwd)"
bin="$prefix/bin"
share="$prefix/share/logexaminer"
mkdir -p "$bin"

native_image=""
for candidate in "${GRAALVM_HOME:-}/bin/native-image" "$JAVA_HOME/bin/native-image" "$(command -v native-image 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then native_image="$candidate"; break; fi
done

if [ -n "$native_image" ]; then
    echo "install.sh: building the native binary with $native_image" >&2
    export JAVA_HOME="$(dirname "$(dirname "$native_image")")"
    mvn -B -q -Pnative -DskipTests package
    install -m 0755 target/logexaminer "$bin/logexaminer"
    kind="native binary"
else
    echo "install.sh: building with $JAVA_HOME (JDK $LOGEXAMINER_JAVA_MAJOR); no GraalVM native-image found, installing the JVM launcher" >&2
    mvn -B -q -DskipTests package
    rm -rf "$share"
    mkdir -p "$share"
    cp target/logexaminer.jar "$share/"
    cp -r target/lib "$share/lib"
    [ -d target/man ] && cp -r target/man "$share/man"

    # Unified JVM logging goes to stdout by default: keep stdout for the command's data.
    jvm_opts="-XX:+UseSerialGC -Xlog:disable -Xlog:all=error:stderr"
    # The ClickHouse driver's bundled LZ4 code reads memory through sun.misc.Unsafe; from JDK 24 that warns on stderr.
    if [ "$LOGEXAMINER_JAVA_MAJOR" -ge 23 ]; then
        jvm_opts="$jvm_opts --sun-misc-unsafe-memory-access=allow"
    fi
    # One AOT cache per command (JDK 25+): the JVM loads every class of its cache at start, so a command starts
    # faster with only its own classes. "base" serves --version, --help and anything else.
    aot_commands="up down mirror-images query port-forward submit-job completion eks-token kubeconfig"
    aot_trained=""
    if [ "$LOGEXAMINER_JAVA_MAJOR" -ge 25 ]; then
        echo "install.sh: training the AOT caches" >&2
        mkdir -p "$share/aot"
        for group in base $aot_commands; do
            # cli.AotTraining runs the command with made-up AWS credentials at most, and only loopback ports
            # that are closed or refuse every request as endpoints: it reaches nothing outside this machine.
            if env -i PATH="$PATH" HOME="$share" AWS_EC2_METADATA_DISABLED=true \
                   AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
                   "$JAVA_HOME/bin/java" -XX:+UseSerialGC --sun-misc-unsafe-memory-access=allow \
                   -XX:AOTCacheOutput="$share/aot/$group.aot" -cp "$share/logexaminer.jar" io.logexaminer.cli.AotTraining \
                   "$here/examples/platform.yaml" "$group" >/dev/null 2>>"$share/aot-training.log" \
               && [ -s "$share/aot/$group.aot" ]; then
                aot_trained="$aot_trained $group"
            else
                rm -f "$share/aot/$group.aot"
                echo "install.sh: AOT training of $group failed (see $share/aot-training.log); it starts without a cache" >&2
            fi
        done
    fi
    # The launcher picks the cache of the first argument that names a command; an option's value that happens to
    # be a command name only picks a slower cache.
    cat > "$bin/logexaminer" <<LAUNCHER
#!/bin/sh
# logexaminer launcher written by install.sh: the JVM build on $JAVA_HOME (JDK $LOGEXAMINER_JAVA_MAJOR).
cache=base
for arg in "\$@"; do
    case "\$arg" in
        $(echo $aot_commands | tr ' ' '|')) cache="\$arg"; break ;;
    esac
done
aot=""
[ -f "$share/aot/\$cache.aot" ] && aot="-XX:AOTCache=$share/aot/\$cache.aot"
exec "$JAVA_HOME/bin/java" $jvm_opts \$aot -cp "$share/logexaminer.jar" io.logexaminer.cli.Main "\$@"
LAUNCHER
    chmod 0755 "$bin/logexaminer"
    kind="JVM launcher"
    if [ -n "$aot_trained" ]; then kind="JVM launcher with AOT caches for:$aot_trained"; fi
fi

echo "install.sh: installed $bin/logexaminer ($kind): $("$bin/logexaminer" --version)" >&2
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "install.sh: $bin is not on your PATH; add it with: export PATH=\"$bin:\$PATH\"" >&2 ;;
esac
