#!/usr/bin/env bash
# Compile cost of a generated client, side by side with progenitor: the
# same public documents generated with this project and with progenitor's
# `cargo progenitor` (pinned, installed by this script), then, for each
# crate, its lines of Rust, the `cargo check` time of the crate alone and
# the peak memory of that check, per operation.
#
#   bash scripts/bench-compile.sh [DOCUMENT...]
#
# DOCUMENTs are file names in the `fixtures/` folder of the `openapiv3`
# crate (read where Cargo unpacked it, nothing copied) or paths; the
# default is every one of them that progenitor reads: link-example,
# swagger_generator and azure_advisor (6, 7 and 13 operations; it refuses
# the larger ones), and petstore-discriminated, which has schemas but no
# operations: the fixed cost of a crate.
# XTASK=path uses that build of this project's xtask (e.g. an older
# commit's, to measure a change) instead of building it. RUNS (default 3) sets how many times each check is timed; the median is
# reported. Everything goes under target/compile-bench/ of this workspace:
# the tool (tools/), the crates (crates/) and one target directory per tool
# (target-ours/, target-progenitor/), so the dependencies are built once.
#
# Lines are the non-blank lines of src/**/*.rs; for ours, the embedded
# runtime (src/runtime/, the same in every crate) is counted apart from
# what is generated per document. `cargo check` runs once with the
# dependencies, then, RUNS times, after `touch src/lib.rs`, for the crate
# alone: its wall time and peak RSS (GNU time's %M: the largest process,
# rustc) are what is reported. Ours is checked with its default features,
# as a user builds it: `contract.rs` (behind the `contract` feature) is
# counted in its lines but not compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

progenitor_version=0.15.1
runs=${RUNS:-3}
work=$root/target/compile-bench
mkdir -p "$work/crates"
bench_dir=$work
# shellcheck source=scripts/bench-common.sh
source scripts/bench-common.sh
export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=0 RUST_BACKTRACE=0

documents=("$@")
[ ${#documents[@]} -eq 0 ] && documents=(petstore-discriminated.yaml link-example.yaml swagger_generator.json azure_advisor.yaml)

fixtures=$(cargo metadata --format-version 1 --locked 2>/dev/null |
    python3 -c 'import json, os, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "openapiv3":
        print(os.path.join(os.path.dirname(p["manifest_path"]), "fixtures"))')

progenitor=$work/tools/bin/cargo-progenitor
if ! grep -qs "cargo-progenitor $progenitor_version " "$work/tools/.crates.toml"; then
    echo "installing cargo-progenitor $progenitor_version into $work/tools" >&2
    CARGO_TARGET_DIR=$work/tools-build cargo install --quiet --locked \
        --version "$progenitor_version" --root "$work/tools" cargo-progenitor
fi
if [ -n "${XTASK:-}" ]; then
    xtask=$XTASK
else
    echo "building xtask (release)" >&2
    xtask=$(release_xtask)
fi

# Non-blank lines of the .rs files under the given folders or files.
lines() {
    find "$@" -name '*.rs' -print0 2>/dev/null | xargs -0 -r cat | grep -cv '^[[:space:]]*$' || true
}

# Checks the crate in $1 with target directory $2: once with its
# dependencies, then $runs times alone. Sets check_ms and check_kb to the
# medians.
check_crate() {
    local crate=$1 target=$2 times=() peaks=() i
    (
        cd "$crate"
        export CARGO_TARGET_DIR=$target
        measured cargo check --quiet --lib
        report "  cargo check with dependencies" >&2
        for ((i = 0; i < runs; i++)); do
            touch src/lib.rs
            measured cargo check --quiet --lib
            report "  cargo check, crate alone" >&2
            echo "$seconds $kilobytes" >>"$work/runs"
        done
    )
    while read -r seconds kilobytes; do
        times+=("$seconds")
        peaks+=("$kilobytes")
    done <"$work/runs"
    rm -f "$work/runs"
    check_ms=$(median "${times[@]}" | awk '{ if ($1 == "unknown") print $1; else printf "%d", $1 * 1000 }')
    check_kb=$(median "${peaks[@]}")
}

# Generates the crate of $1 with progenitor into $2, named $3; on a
# refusal, sets `refusal` to its first lines and fails.
progenitor_generate() {
    rm -rf "$2"
    if "$progenitor" progenitor --input "$1" --output "$2" --name "$3" --version 0.1.0 \
        >"$work/progenitor.log" 2>&1; then
        return 0
    fi
    # The first lines of its message, without the registry's path and
    # the thread's id, which change from machine to machine.
    refusal=$(grep -Ev '^[[:space:]]*$|^note:' "$work/progenitor.log" | head -n 2 | tr '\n' ' ' |
        sed -E "s#/[^ ]*/registry/src/[^/]*/##g; s#thread 'main' \([0-9]+\) ##")
    return 1
}

rows=()
refusals=()
readable=()
seen=" "
for document in "${documents[@]}"; do
    spec=$document
    [ -f "$spec" ] || spec=$fixtures/$document
    if [ ! -f "$spec" ]; then
        echo "skipping $document: not found (looked in $fixtures)" >&2
        continue
    fi
    name=$(basename "$spec")
    name=${name%.*}
    seen="$seen$name "
    echo "== $name" >&2

    ours=$work/crates/ours-$name
    rm -rf "$ours"
    "$xtask" generate --spec "$spec" --out "$ours" --crate-name "bench-$name" \
        --lib-name "bench_${name//-/_}" >"$work/generate.log" 2>&1 ||
        { cat "$work/generate.log" >&2; exit 1; }
    cp Cargo.lock "$ours/Cargo.lock"
    # Its own workspace: the crate sits inside this one's folder.
    printf '\n[workspace]\n' >>"$ours/Cargo.toml"
    operations=$(grep -c '^impl Operation for' "$ours/src/calls.rs" || true)

    theirs=$work/crates/progenitor-$name
    if ! progenitor_generate "$spec" "$theirs" "progenitor-$name"; then
        refusals+=("$name: $refusal")
        echo "  progenitor refuses $name" >&2
        continue
    fi
    printf '\n[workspace]\n' >>"$theirs/Cargo.toml"
    methods=$(grep -c 'pub async fn' "$theirs/src/lib.rs" || true)
    [ "$methods" = "$operations" ] ||
        echo "  note: progenitor wrote $methods methods for $operations operations" >&2

    runtime=$(lines "$ours/src/runtime")
    total=$(lines "$ours/src")
    generated=$((total - runtime))
    check_crate "$ours" "$work/target-ours"
    rows+=("$name ours $operations $generated $runtime $check_ms $check_kb")

    theirs_lines=$(lines "$theirs/src")
    check_crate "$theirs" "$work/target-progenitor"
    rows+=("$name progenitor $operations $theirs_lines 0 $check_ms $check_kb")
done

echo
echo "cargo check of the crate alone, median of $runs; lines: non-blank, src/**/*.rs"
printf '%s\n' "${rows[@]}" | awk '
BEGIN {
    printf "%-18s %-10s %5s %8s %8s %9s %9s %8s %8s\n", "document", "tool", "ops",
        "lines", "runtime", "lines/op", "check ms", "ms/op", "peak MB"
}
{
    if ($3 > 0)
        printf "%-18s %-10s %5d %8d %8d %9.1f %9d %8.1f %8.0f\n", $1, $2, $3, $4, $5,
            $4 / $3, $6, $6 / $3, $7 / 1024
    else
        printf "%-18s %-10s %5d %8d %8d %9s %9d %8s %8.0f\n", $1, $2, $3, $4, $5,
            "-", $6, "-", $7 / 1024
    # The smallest and the largest document of each tool.
    if (!($2 in low) || $3 < lowops[$2]) { low[$2] = $1; lowops[$2] = $3; lowms[$2] = $6; lowkb[$2] = $7; lowlines[$2] = $4 }
    if (!($2 in high) || $3 > highops[$2]) { high[$2] = $1; highops[$2] = $3; highms[$2] = $6; highkb[$2] = $7; highlines[$2] = $4 }
}
END {
    print "(lines/op: the generated lines, without the runtime, per operation)"
    print ""
    print "marginal cost of one more operation (largest document against smallest):"
    split("ours progenitor", tools, " ")
    for (i = 1; i <= 2; i++) {
        tool = tools[i]
        if (!(tool in high)) continue
        ops = highops[tool] - lowops[tool]
        if (ops <= 0) continue
        printf "  %-10s %s -> %s: %.1f lines/op, %.1f ms/op, %.2f MB/op\n", tool, low[tool], high[tool],
            (highlines[tool] - lowlines[tool]) / ops, (highms[tool] - lowms[tool]) / ops,
            (highkb[tool] - lowkb[tool]) / 1024 / ops
    }
}'

# The other documents of the fixtures folder: which progenitor reads.
for spec in "$fixtures"/*; do
    name=$(basename "$spec")
    name=${name%.*}
    case "$seen" in *" $name "*) continue ;; esac
    seen="$seen$name "
    if progenitor_generate "$spec" "$work/crates/probe" probe; then
        readable+=("$name")
    else
        refusals+=("$name: $refusal")
    fi
done
rm -rf "$work/crates/probe"
echo
[ ${#readable[@]} -gt 0 ] && echo "progenitor $progenitor_version also reads: ${readable[*]}"
if [ ${#refusals[@]} -gt 0 ]; then
    echo "progenitor $progenitor_version refuses:"
    printf '  %s\n' "${refusals[@]}"
fi
