#!/usr/bin/env bash
# Generates a crate from each public OpenAPI document in a folder and holds
# it to the bar of hand-written code: `cargo clippy --all-targets
# --all-features -D warnings`, `cargo doc` with rustdoc's warnings denied,
# and `cargo test --doc` (every client method's example compiles).
#
#   bash scripts/check-public-documents.sh [DIR]
#
# DIR defaults to the `fixtures/` folder of the `openapiv3` crate this
# workspace depends on (documents of public APIs: Stripe, Slack, Twilio,
# Docker, ...), read where Cargo unpacked it; nothing is copied into the
# project. A document the generator refuses is listed with its error (a
# refusal must name the file, line and pointer). The crates are written,
# outside this workspace, to $TMPDIR/public-documents/ (default /tmp), and
# share one target directory there.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

dir=${1:-}
if [ -z "$dir" ]; then
    manifest=$(cargo metadata --format-version 1 --locked 2>/dev/null |
        python3 -c 'import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "openapiv3":
        print(p["manifest_path"])')
    dir=$(dirname "$manifest")/fixtures
fi
if [ ! -d "$dir" ]; then
    echo "no documents: $dir is not a folder" >&2
    exit 2
fi

cargo build --quiet --release --package xtask || exit 1
out=${TMPDIR:-/tmp}/public-documents
mkdir -p "$out"
export CARGO_TARGET_DIR=$out/target CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=0

failed=0
printf '%-28s %-9s %-8s %-8s %-8s %s\n' document generate clippy doc doctest note
for spec in "$dir"/*.yaml "$dir"/*.yml "$dir"/*.json; do
    [ -f "$spec" ] || continue
    name=$(basename "$spec" | tr '.' '_')
    crate=$out/$name
    rm -rf "$crate"
    if ! message=$("$root/target/release/xtask" generate --spec "$spec" --out "$crate" 2>&1); then
        refusal=$(printf '%s\n' "$message" | grep '^error' | head -n 1)
        # A refusal must say where: `file:line: #/pointer: ...`.
        if printf '%s' "$refusal" | grep -Eq ':[0-9]+: #/'; then
            printf '%-28s %-9s %-8s %-8s %-8s %s\n' "$name" refused - - - "${refusal#error: $spec}"
        else
            printf '%-28s %-9s %-8s %-8s %-8s %s\n' "$name" FAILED - - - "unlocated: $refusal"
            failed=1
        fi
        continue
    fi
    warnings=$(printf '%s\n' "$message" | grep -c '^warning')
    cp "$root/Cargo.lock" "$crate/Cargo.lock"
    results=()
    for step in "clippy --quiet --all-targets --all-features -- -D warnings" \
        "doc --quiet --no-deps --all-features" "test --quiet --doc --all-features"; do
        # shellcheck disable=SC2086
        if (cd "$crate" && RUSTDOCFLAGS="-D warnings" cargo $step \
            > "$crate/${step%% *}.log" 2>&1); then
            results+=(ok)
        else
            results+=(FAILED)
            failed=1
        fi
    done
    printf '%-28s %-9s %-8s %-8s %-8s %s\n' "$name" ok "${results[@]}" "$warnings warning(s)"
done
exit $failed
