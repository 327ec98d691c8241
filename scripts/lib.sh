# Shared helpers for the scripts: logging, failing, and installing what a fresh Debian machine lacks.
# shellcheck shell=bash

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Debian packages the build needs (LAME, libcurl) and the tools the tests compare against.
BUILD_PACKAGES=(libmp3lame-dev libcurl4-openssl-dev zlib1g-dev ca-certificates
    libbcg729-dev libopus-dev libopencore-amrnb-dev libopencore-amrwb-dev libgsm1-dev libspeex-dev libsrtp2-dev)
TEST_PACKAGES=(lame mpg123 ffmpeg busybox-static zip unzip libvo-amrwbenc-dev librsvg2-bin espeak-ng)

# Installs the given Debian packages when any is missing (apt-get update first, once per run).
ensure_apt() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        log "installing Debian packages: ${missing[*]}"
        if [[ -z "${APT_UPDATED:-}" ]]; then
            apt-get update -qq
            APT_UPDATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# Swift is a precondition of this kind of machine (Swift 6.3 at /opt/swift); say so plainly when absent.
ensure_swift() {
    command -v swift >/dev/null || fail "swift not found: install Swift 6.3 (https://www.swift.org/install)"
}
