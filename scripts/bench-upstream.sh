#!/usr/bin/env bash
# The whole upstream document (../shared/upstream/telnyx-spec3.yml, or the
# file given), end to end: generation time and peak memory, the warning
# count, then the generated crate's `cargo check` and `cargo clippy` with
# warnings denied, each with its time and peak memory.
#
#   bash scripts/bench-upstream.sh [SPEC]
#
# The crate is written to $TMPDIR/bench-upstream/crate (outside this
# workspace, as a user's crate would be; the workspace's Cargo.lock is
# copied beside it so the versions are the tested ones) and built in
# $TMPDIR/bench-upstream/target. `cargo check` runs twice: first with its
# dependencies (cold the first time), then, after touching src/lib.rs, the
# crate alone: that second figure is the crate's own compile cost. Peak
# memory comes from GNU time (`/usr/bin/time -v`) where it is installed.
# Generation beside parsing alone, in the same process, is
# `cargo bench -p generator --bench generate` (upstream_*).
set -euo pipefail
cd "$(dirname "$0")/.."

spec="${1:-../shared/upstream/telnyx-spec3.yml}"
if [ ! -f "$spec" ]; then
    echo "skipping: $spec is absent" >&2
    exit 0
fi
work="${TMPDIR:-/tmp}/bench-upstream"
crate="$work/crate"
mkdir -p "$work"

bench_dir="$work"
# shellcheck source=scripts/bench-common.sh
source scripts/bench-common.sh

echo "building xtask (release)" >&2
xtask=$(release_xtask)
export CARGO_TARGET_DIR="$work/target"

rm -rf "$crate"
measured "$xtask" generate --spec "$spec" --out "$crate" \
    --crate-name telnyx-upstream --lib-name telnyx_upstream
report "generate (whole document)"
warnings=$(grep -c '^warning:' "$work/last.log" || true)
lines=$(cat "$crate"/src/*.rs | wc -l)
echo "  generator warnings: $warnings; generated lines in src/*.rs: $lines"

cp Cargo.lock "$crate/Cargo.lock"
export RUSTFLAGS="-D warnings"
export CARGO_PROFILE_DEV_DEBUG=0
cd "$crate"
measured cargo check --quiet --lib --features contract
report "cargo check (with dependencies)"
touch src/lib.rs
measured cargo check --quiet --lib --features contract
report "cargo check (the crate alone)"
touch src/lib.rs
measured cargo clippy --quiet --lib --features contract -- -D warnings
report "cargo clippy -D warnings (crate)"
echo "cargo check and clippy: 0 errors, 0 warnings (warnings are denied)"
