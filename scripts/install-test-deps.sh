#!/usr/bin/env bash
# Installs the real servers the tests talk to, idempotently:
#   Debian packages: docker-registry (an OCI distribution registry), skopeo (cross-checks digests) and curl (the
#   peer of the query benchmark), openssl (certificates for a registry serving TLS);
#   Python packages (in .test-env/venv): moto server (AWS) and chdb (ClickHouse), pinned in scripts/test-requirements.txt.
# A second run changes nothing. It fails with a clear message when something cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "install-test-deps: $*" >&2; exit 1; }

apt_packages=()
command -v docker-registry >/dev/null 2>&1 || apt_packages+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || apt_packages+=(skopeo)
command -v curl >/dev/null 2>&1 || apt_packages+=(curl)
command -v openssl >/dev/null 2>&1 || apt_packages+=(openssl)
if [ ${#apt_packages[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || fail "need root (or passwordless sudo) to apt-get install ${apt_packages[*]}"
        sudo="sudo -n"
    fi
    command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install ${apt_packages[*]} with your package manager"
    echo "install-test-deps: apt-get install ${apt_packages[*]}" >&2
    $sudo apt-get update -qq >/dev/null || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null \
        || fail "apt-get install ${apt_packages[*]} failed"
fi
for program in docker-registry skopeo curl openssl; do
    command -v "$program" >/dev/null 2>&1 || fail "$program is still missing after installing it"
done

command -v python3 >/dev/null 2>&1 || fail "python3 is needed for the moto and ClickHouse test servers"
venv=.test-env/venv
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum scripts/test-requirements.txt | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "install-test-deps: installing $(grep -v '^#' scripts/test-requirements.txt | tr '\n' ' ')into $venv" >&2
    python3 -m venv "$venv" || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/test-requirements.txt \
        || fail "pip install -r scripts/test-requirements.txt failed"
    echo "$wanted" > "$stamp"
fi
"$venv/bin/moto_server" --help >/dev/null 2>&1 || fail "moto_server does not run from $venv"
"$venv/bin/python" -c "import chdb" 2>/dev/null || fail "chdb does not import in $venv"

# crane (go-containerregistry) is the second peer of the mirror benchmark; it is built when a Go toolchain is there.
crane_version=v0.22.1
if [ "$("$venv/bin/crane" version 2>/dev/null)" != "$crane_version" ]; then
    if command -v go >/dev/null 2>&1; then
        echo "install-test-deps: go install crane@$crane_version into $venv/bin" >&2
        GOBIN="$PWD/$venv/bin" go install "github.com/google/go-containerregistry/cmd/crane@$crane_version" \
            || echo "install-test-deps: crane could not be built; the mirror benchmark runs without it" >&2
    else
        echo "install-test-deps: no Go toolchain, so no crane; the mirror benchmark runs without it" >&2
    fi
fi
