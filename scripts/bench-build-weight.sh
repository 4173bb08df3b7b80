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
# Three more configurations build the dependency closure of a progenitor
# client instead, as a baseline measured in the same run (the generated
# code itself is left out, which favours progenitor):
#   progenitor-none  progenitor-client, reqwest (json, stream, no TLS),
#                    serde, serde_json, futures: what its generated crates
#                    depend on;
#   progenitor-ring  the same with the TLS our default uses (reqwest's
#                    rustls-no-provider plus rustls with ring);
#   progenitor-tls   the same with reqwest's own `rustls` (aws-lc-rs).
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

# A crate that depends on the generated client with the given features.
client_app() {
    local config=$1 app=$2 dep list
    case "$config" in
        default) dep='managed-accounts-client = { path = "../client" }' ;;
        none) dep='managed-accounts-client = { path = "../client", default-features = false }' ;;
        *)
            list=$(printf '"%s", ' ${config//,/ })
            dep="managed-accounts-client = { path = \"../client\", default-features = false, features = [${list%, }] }"
            ;;
    esac
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
}

# A crate with the dependencies of a progenitor-generated client.
progenitor_app() {
    local config=$1 app=$2 tls extra=''
    case "$config" in
        progenitor-none) tls='' ;;
        progenitor-ring) tls=', "rustls-no-provider"'
            extra='rustls = { version = "0.23", default-features = false, features = ["std", "tls12", "ring"] }' ;;
        progenitor-tls) tls=', "rustls"' ;;
        *) echo "unknown configuration $config" >&2; exit 2 ;;
    esac
    cat >"$app/Cargo.toml" <<EOF
[package]
name = "app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
progenitor-client = "0.12"
reqwest = { version = "0.13", default-features = false, features = ["json", "stream"$tls] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
futures = "0.3"
tokio = { version = "1", features = ["macros", "rt"] }
$extra
EOF
    cat >"$app/src/main.rs" <<'EOF'
#[derive(serde::Deserialize, Debug)]
struct Account {
    id: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let response = reqwest::Client::new().get("http://127.0.0.1:9/").send().await;
    let outcome: Result<Account, progenitor_client::Error<()>> = match response {
        Ok(response) => response.json().await.map_err(progenitor_client::Error::from),
        Err(err) => Err(err.into()),
    };
    match outcome {
        Ok(account) => println!("{}", account.id),
        Err(err) => eprintln!("{err}"),
    }
}
EOF
}

for config in "${configs[@]}"; do
    app="$work/app-$config"
    mkdir -p "$app/src"
    case "$config" in
        progenitor-*) progenitor_app "$config" "$app" ;;
        *) client_app "$config" "$app" ;;
    esac
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
