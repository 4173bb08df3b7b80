#!/usr/bin/env bash
# The cold build of a fresh binary crate that depends on a generated
# client, as a user would have it: wall time, the number of crates
# compiled, and the slowest ones.
#
#   bash scripts/bench-build-weight.sh [FEATURES]
#
# FEATURES is passed to the client dependency as written in Cargo.toml,
# e.g. `default` (the generated crate's defaults), `none` (no TLS), or a
# list such as `rustls-aws-lc` or `native-tls`; several may be given,
# each measured in turn (default: "default none").
#
# The client is generated from spec/managed_accounts.yaml as a standalone
# crate (explicit dependency versions, outside this workspace) into
# $TMPDIR/build-weight; the workspace's Cargo.lock is copied so that the
# versions are the tested ones. Each measurement starts from an empty
# target directory (the registry cache stays: downloads are not timed).
# The slowest units come from `cargo build --timings`.
set -euo pipefail
cd "$(dirname "$0")/.."

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(default none)
work="${TMPDIR:-/tmp}/build-weight"
rm -rf "$work"
mkdir -p "$work"

echo "building xtask (release)" >&2
cargo build --release --quiet -p xtask
target/release/xtask generate --spec spec/managed_accounts.yaml --out "$work/client" \
    --crate-name managed-accounts-client --lib-name managed_accounts_client >/dev/null

for config in "${configs[@]}"; do
    case "$config" in
        default) dep='managed-accounts-client = { path = "../client" }' ;;
        none) dep='managed-accounts-client = { path = "../client", default-features = false }' ;;
        *)
            list=$(printf '"%s", ' ${config//,/ })
            dep="managed-accounts-client = { path = \"../client\", default-features = false, features = [${list%, }] }"
            ;;
    esac
    app="$work/app-$config"
    mkdir -p "$app/src"
    cat >"$app/Cargo.toml" <<EOF
[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$dep
tokio = { version = "1", features = ["macros", "rt"] }
EOF
    cat >"$app/src/main.rs" <<'EOF'
use managed_accounts_client::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    match Client::from_env() {
        Ok(client) => println!("{:?}", client.retrieve_managed_account("id").await.is_ok()),
        Err(err) => eprintln!("{err}"),
    }
}
EOF
    cp Cargo.lock "$app/Cargo.lock"
    (cd "$app" && cargo fetch --quiet)
    start=$(date +%s.%N)
    (cd "$app" && CARGO_TARGET_DIR="$app/target" cargo build --timings 2>"$app/build.log")
    end=$(date +%s.%N)
    crates=$(grep -c '^ *Compiling ' "$app/build.log" || true)
    printf '%-22s cold build %6.1f s, %3s crates compiled\n' "$config" "$(echo "$end - $start" | bc)" "$crates"
    # The slowest units, from the timings report's data.
    report=$(ls "$app"/target/cargo-timings/cargo-timing-*.html | head -n 1)
    python3 - "$report" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
match = re.search(r"const UNIT_DATA = (\[.*?\]);", text, re.S)
if match:
    units = json.loads(match.group(1))
    units.sort(key=lambda u: -u["duration"])
    print("  slowest: " + ", ".join(f'{u["name"]} {u["duration"]:.1f}s' for u in units[:6]))
EOF
done
