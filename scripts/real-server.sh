#!/usr/bin/env bash
# Runs a real server that serves its own OpenAPI document, to measure the
# live contract runner against schemathesis on something we did not write.
#
#   bash scripts/real-server.sh schemathesis [EXTRA_ST_ARGS...]
#   bash scripts/real-server.sh contract     [EXTRA_CONTRACT_ARGS...]
#   bash scripts/real-server.sh serve
#
# The server is Chroma (PyPI `chromadb`, pinned, in its own venv at
# target/real-server/venv). `chroma run` starts its Rust (axum) frontend,
# which serves an OpenAPI 3.1 document at /openapi.json; this script saves
# it to target/real-server/openapi.json (another project's file: it stays
# under target/, never committed). Data goes to target/real-server/data,
# wiped at each start so every run begins from the same state.
#
# Authentication: the document declares an apiKey scheme (header
# x-chroma-token) on almost every operation, but the open-source server of
# chromadb 1.x does not check it: its auth hook is a no-op, and the
# CHROMA_SERVER_AUTHN_* settings of the old Python server are ignored (read
# in the installed package; checked by hand, every token is accepted). The
# token below is still sent, so both tools run as they would against a
# server that checks it; findings about ignored authentication are real
# behaviour of this server.
#
# Modes:
#   schemathesis  pinned schemathesis (same version and venv as
#                 scripts/schemathesis.sh, target/pytools), every check,
#                 fixed seed, schemathesis' default examples per operation
#                 (set MAX_EXAMPLES to change it) and default phases.
#   contract      `cargo xtask contract` against the same server, with
#                 --allow-writes and the token in REAL_SERVER_TOKEN.
#   serve         start the server, print its URL and wait (Ctrl-C stops).
# Both measuring modes print the wall time of the tool alone (not of the
# install or the server start). The server is stopped on exit.
set -euo pipefail

CHROMADB_VERSION="1.5.9"
SCHEMATHESIS_VERSION="4.32.5"
TOKEN="real-server-token"
SEED="20261204"

mode="${1:-}"
case "$mode" in
    schemathesis|contract|serve) ;;
    *)
        echo "usage: bash scripts/real-server.sh schemathesis|contract|serve [ARGS...]" >&2
        exit 2
        ;;
esac

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
work="target/real-server"
venv="$work/venv"
mkdir -p "$work"

# Prints the installed version of package $2 in the venv $1, or nothing.
installed_version() {
    "$1/bin/python" -c 'import importlib.metadata as m, sys
try:
    print(m.version(sys.argv[1]))
except m.PackageNotFoundError:
    print("")' "$2"
}

# Installs package $2 at version $3 in the venv $1 unless it is there.
ensure_pinned() {
    if [ ! -x "$1/bin/python" ]; then
        python3 -m venv "$1"
    fi
    if [ "$(installed_version "$1" "$2")" != "$3" ]; then
        echo "installing $2==$3 into $1" >&2
        "$1/bin/python" -m pip install --quiet --disable-pip-version-check "$2==$3"
    fi
}

ensure_pinned "$venv" chromadb "$CHROMADB_VERSION"

# No telemetry (the Python package's switch; the Rust server in the wheel
# carries no telemetry client of its own).
export ANONYMIZED_TELEMETRY=False

port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')"
base_url="http://127.0.0.1:$port"

rm -rf "$work/data"
mkdir -p "$work/data"
"$venv/bin/chroma" run --path "$work/data" --host 127.0.0.1 --port "$port" \
    >"$work/server.log" 2>&1 &
server_pid=$!
stop_server() {
    if kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Wait up to 60 s for the heartbeat (a first start migrates its SQLite file).
for _ in $(seq 300); do
    if curl -sf -o /dev/null "$base_url/api/v2/heartbeat"; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "chroma exited; see $work/server.log" >&2
        tail -n 20 "$work/server.log" >&2
        exit 1
    fi
    sleep 0.2
done
if ! curl -sf -o /dev/null "$base_url/api/v2/heartbeat"; then
    echo "chroma did not answer at $base_url within 60 s; see $work/server.log" >&2
    exit 1
fi
curl -sf "$base_url/openapi.json" -o "$work/openapi.json"
echo "chromadb $CHROMADB_VERSION at $base_url, document in $work/openapi.json" >&2

now_ms() { date +%s%3N; }
report_time() {
    local start="$1" end="$2" status="$3" tool="$4"
    local ms=$((end - start))
    printf '%s wall time: %d.%03d s (exit %d)\n' "$tool" $((ms / 1000)) $((ms % 1000)) "$status" >&2
}

case "$mode" in
    serve)
        echo "serving $base_url (token header x-chroma-token: $TOKEN, not checked by the server); Ctrl-C stops" >&2
        wait "$server_pid"
        ;;
    schemathesis)
        ensure_pinned "$repo_root/target/pytools" schemathesis "$SCHEMATHESIS_VERSION"
        examples=()
        if [ -n "${MAX_EXAMPLES:-}" ]; then
            examples=(--max-examples "$MAX_EXAMPLES")
        fi
        start="$(now_ms)"
        status=0
        "$repo_root/target/pytools/bin/st" run "$work/openapi.json" \
            --url "$base_url" \
            --checks all \
            --seed "$SEED" \
            --header "x-chroma-token: $TOKEN" \
            --no-color \
            ${examples[@]+"${examples[@]}"} \
            "${@:2}" || status=$?
        report_time "$start" "$(now_ms)" "$status" "schemathesis $SCHEMATHESIS_VERSION"
        exit "$status"
        ;;
    contract)
        export REAL_SERVER_TOKEN="$TOKEN"
        # Build first (xtask runs the contract crate with `cargo run`), so
        # that the wall time is the run's alone.
        cargo build --quiet --package xtask --package contract
        start="$(now_ms)"
        status=0
        cargo xtask contract \
            --spec "$work/openapi.json" \
            --base-url "$base_url" \
            --allow-writes \
            --token-env REAL_SERVER_TOKEN \
            "${@:2}" || status=$?
        report_time "$start" "$(now_ms)" "$status" "contract"
        exit "$status"
        ;;
esac
