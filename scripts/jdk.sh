# Sourced by the project's scripts: finds a JDK 21 or newer and exports JAVA_HOME and PATH for it.
# Prefers the newest one, since JDK 25 and later can train an AOT cache for a faster start.
# Looks at $JAVA_HOME, the java on PATH, and the usual install folders.

logexaminer_java_major() {
    # prints the major version of the java binary $1, or nothing
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

logexaminer_find_jdk() {
    local best_home="" best_major=0 candidate home major
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for candidate in /usr/lib/jvm/* /opt/java/* /opt/*jdk* "$HOME"/.sdkman/candidates/java/* \
                     /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$candidate" ] && candidates+=("$candidate")
    done
    for home in "${candidates[@]}"; do
        [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
        major=$(logexaminer_java_major "$home/bin/java")
        [ -n "$major" ] || continue
        if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best_major=$major
            best_home=$home
        fi
    done
    if [ -z "$best_home" ]; then
        echo "logexaminer: no JDK 21 or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm, /opt, ~/.sdkman);" \
             "install one, for example Temurin 21 or 25, and set JAVA_HOME" >&2
        return 1
    fi
    export JAVA_HOME="$best_home"
    export PATH="$JAVA_HOME/bin:$PATH"
    export LOGEXAMINER_JAVA_MAJOR="$best_major"
}

# Maven's own libraries call sun.misc.Unsafe; on JDK 24+ that prints warnings to every build's stderr.
logexaminer_maven_opts() {
    if [ "${LOGEXAMINER_JAVA_MAJOR:-0}" -ge 24 ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
    fi
}
