#!/usr/bin/env bash
# Throughput and p99 latency of the mock server next to Stoplight Prism,
# serving the same spec, measured in the same run with the same load
# generator (wrk), on loopback only: the managed-accounts spec (retrieve
# and list of 100 seeded accounts), then a CRUD document of another API,
# the `petstore-expanded.yaml` of the openapiv3 crate's fixtures (read
# where Cargo unpacked it), whose 100 pets are created through the mock's
# own POST before measuring (Prism keeps no state: it answers every
# request from the document).
#
#   bash scripts/bench-mock.sh [SECONDS] [CONNECTIONS]
#   MOCK_BIN=path/to/telnyx-mock bash scripts/bench-mock.sh   # another build
#
# Installs what it needs: wrk (Debian package) and @stoplight/prism-cli
# (npm, pinned, into target/prism). Prints one line per server and
# operation, then the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-10}"
connections="${2:-32}"
prism_version="5.16.0"
mock_port=4710
prism_port=4711
token="bench-token"

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)" >&2
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
prism="target/prism/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
    echo "installing @stoplight/prism-cli@$prism_version into target/prism" >&2
    npm install --silent --no-audit --no-fund --prefix target/prism "@stoplight/prism-cli@$prism_version" >/dev/null
fi

# MOCK_BIN: another build of the mock to measure (e.g. an older commit's).
mock_bin="${MOCK_BIN:-target/release/telnyx-mock}"
if [ -z "${MOCK_BIN:-}" ]; then
    cargo build --quiet --release --package telnyx-mock
fi
seed="target/bench-seed.json"
python3 - "$seed" <<'PY'
import json, sys, uuid
accounts = []
for i in range(100):
    accounts.append({
        "record_type": "managed_account",
        "id": str(uuid.UUID(int=i + 1)),
        "email": f"account{i:03}@example.com",
        "api_key": "KEY0123", "api_user": "manager@example.com", "api_token": "token",
        "organization_name": f"Organization {i}",
        "manager_account_id": "f65ceda4-6522-4ad6-aede-98de83385123",
        "created_at": f"2024-01-01T00:{i // 60:02}:{i % 60:02}.000Z",
        "updated_at": f"2024-01-01T00:{i // 60:02}:{i % 60:02}.000Z",
    })
json.dump({"accounts": accounts}, open(sys.argv[1], "w"))
PY
retrieve_id="00000000-0000-0000-0000-000000000001"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

"$mock_bin" --quiet --addr "127.0.0.1:$mock_port" --seed "$seed" >/dev/null 2>&1 &
pids+=($!)
"$prism" mock --host 127.0.0.1 --port "$prism_port" --errors=false spec/managed_accounts.yaml >target/prism.log 2>&1 &
pids+=($!)

wait_for() {
    for _ in $(seq 1 120); do
        if curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$1/managed_accounts"; then return 0; fi
        sleep 0.5
    done
    echo "server on port $1 did not start" >&2
    exit 1
}
wait_for "$mock_port"
wait_for "$prism_port"

# Prints "requests/s p99-ms" for one URL.
measure() {
    local out rps p99
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$1")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    local non2xx
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$rps $p99 ${non2xx:-0}"
}

printf '%-28s %-8s %12s %10s %8s\n' operation server "requests/s" "p99" "non-2xx"
declare -A rps
for op in RetrieveManagedAccount ListManagedAccounts; do
    case "$op" in
        RetrieveManagedAccount) path="/managed_accounts/$retrieve_id" ;;
        ListManagedAccounts) path="/managed_accounts?page%5Bsize%5D=20&sort=email" ;;
    esac
    for server in mock prism; do
        port=$mock_port
        [ "$server" = prism ] && port=$prism_port
        read -r r p n < <(measure "http://127.0.0.1:$port$path")
        rps[$op-$server]=$r
        printf '%-28s %-8s %12s %10s %8s\n' "$op" "$server" "$r" "$p" "$n"
    done
done

# A CRUD document of another API, served by both.
petstore=$(cargo metadata --format-version 1 --locked 2>/dev/null |
    python3 -c 'import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "openapiv3":
        print(os.path.join(os.path.dirname(p["manifest_path"]), "fixtures", "petstore-expanded.yaml"))')
pet_mock_port=4712
pet_prism_port=4713
"$mock_bin" --quiet --addr "127.0.0.1:$pet_mock_port" --spec "$petstore" >/dev/null 2>&1 &
pids+=($!)
"$prism" mock --host 127.0.0.1 --port "$pet_prism_port" --errors=false "$petstore" >target/prism-petstore.log 2>&1 &
pids+=($!)
wait_for "$pet_mock_port"
wait_for "$pet_prism_port"
for i in $(seq 1 100); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"name\": \"pet $i\", \"tag\": \"bench\"}" "http://127.0.0.1:$pet_mock_port/pets"
done
pet_id=$(curl -s "http://127.0.0.1:$pet_mock_port/pets?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
for op in findPetById findPets; do
    case "$op" in
        findPetById) path="/pets/$pet_id" ;;
        findPets) path="/pets?limit=20" ;;
    esac
    for server in mock prism; do
        port=$pet_mock_port
        [ "$server" = prism ] && port=$pet_prism_port
        read -r r p n < <(measure "http://127.0.0.1:$port$path")
        rps[$op-$server]=$r
        printf '%-28s %-8s %12s %10s %8s\n' "petstore $op" "$server" "$r" "$p" "$n"
    done
done

for op in RetrieveManagedAccount ListManagedAccounts findPetById findPets; do
    awk -v a="${rps[$op-mock]}" -v b="${rps[$op-prism]}" -v op="$op" \
        'BEGIN { printf "%s: mock / prism = %.1fx\n", op, a / b }'
done
