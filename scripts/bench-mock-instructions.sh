#!/usr/bin/env bash
# Instructions per request of the mock, counted by valgrind's callgrind:
# repeatable for the same binary and inputs, whatever else the machine is
# doing (wrk's requests/s on a shared 2-core machine vary by ±20%). Each
# build serves the managed-accounts spec seeded with scripts/bench-mock.sh's
# 100 accounts, is sent 200 and then 1200 requests (curl, one connection at
# a time), and the difference is divided by 1000, so that start-up (loading
# the spec, compiling the schemas) cancels out.
#
#   bash scripts/bench-mock-instructions.sh [BINARY...]
#
# Default: target/release/telnyx-mock (built here). Give an older build's
# binary beside it to compare. Installs valgrind (Debian) if missing; needs
# target/bench-seed.json (written by scripts/bench-mock.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq valgrind) >/dev/null
fi
if [ ! -f target/bench-seed.json ]; then
    echo "target/bench-seed.json is missing: run scripts/bench-mock.sh once first" >&2
    exit 2
fi
if [ "$#" -eq 0 ]; then
    cargo build --quiet --release --package telnyx-mock
    set -- target/release/telnyx-mock
fi
port=4910
work=target/bench-instructions
mkdir -p "$work"

# Prints the instructions callgrind counted for a run with $3 requests to $2.
count() {
    local bin=$1 path=$2 n=$3 out="$work/callgrind.out"
    rm -f "$out"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --quiet \
        --addr "127.0.0.1:$port" --seed target/bench-seed.json >/dev/null 2>"$work/valgrind.log" &
    local pid=$!
    for _ in $(seq 1 300); do
        curl -s -o /dev/null -H "Authorization: Bearer bench" "http://127.0.0.1:$port$path" && break
        sleep 0.2
    done
    for _ in $(seq 1 "$n"); do
        printf 'url = "http://127.0.0.1:%s%s"\nheader = "Authorization: Bearer bench"\noutput = "/dev/null"\n' "$port" "$path"
    done >"$work/curl.cfg"
    curl -s -K "$work/curl.cfg"
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

printf '%-40s %-26s %14s\n' binary operation instructions/request
for bin in "$@"; do
    for op in RetrieveManagedAccount ListManagedAccounts; do
        case "$op" in
            RetrieveManagedAccount) path="/managed_accounts/00000000-0000-0000-0000-000000000001" ;;
            ListManagedAccounts) path="/managed_accounts?page%5Bsize%5D=20&sort=email" ;;
        esac
        few=$(count "$bin" "$path" 200)
        many=$(count "$bin" "$path" 1200)
        printf '%-40s %-26s %14d\n' "$bin" "$op" $(((many - few) / 1000))
    done
done
