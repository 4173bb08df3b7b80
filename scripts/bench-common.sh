# Helpers shared by the benchmark scripts; sourced, not run.
#
#   source "$(dirname "$0")/bench-common.sh"
#   bench_dir=/some/folder   # where the helpers keep their files
#   measured cargo check --quiet
#   report "cargo check"
#
# `measured` runs a command with its output in $bench_dir/last.log and sets
# `seconds` (wall time), `kilobytes` (peak resident memory of the command
# or of its largest child, e.g. rustc under cargo, from GNU time's %M; the
# word `unknown` when /usr/bin/time is absent) and `rc` (its exit status).

measured() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%e %M" -o "$bench_dir/last.time" "$@" >"$bench_dir/last.log" 2>&1 && rc=0 || rc=$?
    else
        local start end
        start=$(date +%s.%N)
        "$@" >"$bench_dir/last.log" 2>&1 && rc=0 || rc=$?
        end=$(date +%s.%N)
        echo "$(echo "$end - $start" | bc) unknown" >"$bench_dir/last.time"
    fi
    # GNU time puts "Command exited with non-zero status N" first.
    read -r seconds kilobytes < <(tail -n 1 "$bench_dir/last.time")
}

# Prints the last measurement on one line; on failure, the command's last
# output lines, and exits.
report() {
    local what="$1"
    printf '%-34s %8s s  %10s KB max RSS  rc=%s\n' "$what" "$seconds" "$kilobytes" "$rc"
    if [ "$rc" != 0 ]; then
        tail -n 30 "$bench_dir/last.log" >&2
        exit 1
    fi
}

# The median of its numeric arguments (the middle one; for an even count,
# the lower of the two middle ones). `unknown` if any argument is not a
# number.
median() {
    local values value
    for value in "$@"; do
        case "$value" in
            '' | *[!0-9.]*) echo unknown; return ;;
        esac
    done
    values=$(printf '%s\n' "$@" | sort -g)
    printf '%s\n' "$values" | sed -n "$(( ($# + 1) / 2 ))p"
}

# The path of the release build of xtask, built first, in the target
# directory cargo uses here (CARGO_TARGET_DIR if set).
release_xtask() {
    cargo build --release --quiet -p xtask >&2
    echo "${CARGO_TARGET_DIR:-$PWD/target}/release/xtask"
}
