# Python test tools, pinned: moto's S3 server (the loopback S3 that checks signatures) and cfn-lint.
# shellcheck shell=bash

MOTO_VERSION=5.2.1
CFN_LINT_VERSION=1.51.0

ensure_python_tools() {
    command -v python3 >/dev/null || ensure_apt python3 python3-pip
    local want=("moto[server]==${MOTO_VERSION}" "cfn-lint==${CFN_LINT_VERSION}")
    if ! python3 - "$MOTO_VERSION" "$CFN_LINT_VERSION" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version
import flask, werkzeug  # moto[server] extras
assert version("moto") == sys.argv[1] and version("cfn-lint") == sys.argv[2]
PY
        log "installing Python test tools: ${want[*]}"
        python3 -m pip install -q --disable-pip-version-check "${want[@]}" \
            || python3 -m pip install -q --break-system-packages --disable-pip-version-check "${want[@]}"
    fi
}
