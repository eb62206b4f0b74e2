#!/usr/bin/env bash
# Builds the libFuzzer targets in build/fuzz (clang, ASan + UBSan, libstdc++ assertions), then runs
# each target twice: once over every file of its corpus (the crash reproducers kept there must stay
# fixed), then fuzzing for a fixed time from a fixed seed. Any finding (crash, sanitizer report,
# leak, timeout, out of memory) fails the run and leaves its input in build/fuzz/runs/TARGET/.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET (30)] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_stats19_raw fuzz_stats19_rows fuzz_trauma fuzz_mapping_profile fuzz_csv_line)
jobs=$(nproc 2>/dev/null || echo 2)

CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROADSAFE_BUILD_FUZZERS=ON >/dev/null
cmake --build build/fuzz -j "$jobs" -- "${targets[@]}"

# Seed inputs: the target's own corpus (tests/fuzz/corpus/TARGET) and the test fixtures it reads.
seed_dirs() {
    local dirs=()
    [ -d "tests/fuzz/corpus/$1" ] && dirs+=("tests/fuzz/corpus/$1")
    case $1 in
        fuzz_stats19_raw) dirs+=(tests/data/stats19 tests/data/malformed) ;;
        fuzz_trauma) dirs+=(tests/data/trauma) ;;
        fuzz_csv_line) dirs+=(tests/data/stats19 tests/data/malformed tests/data/trauma) ;;
    esac
    echo "${dirs[@]}"
}

run_target() {
    local target=$1 seconds=$2 exe=build/fuzz/tests/fuzz/$1 out=build/fuzz/runs/$1
    local -a dirs
    read -r -a dirs <<<"$(seed_dirs "$target")"
    rm -rf "$out" && mkdir -p "$out/corpus"
    local -a options=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/")
    [ -f "tests/fuzz/${target#fuzz_}.dict" ] && options+=(-dict="tests/fuzz/${target#fuzz_}.dict")
    local -a files
    mapfile -t files < <(find "${dirs[@]}" -type f ! -name '*.md' | sort)
    if ! "$exe" "${options[@]}" "${files[@]}" >"$out/corpus.log" 2>&1; then
        echo "FAIL $target: an input of its corpus is a finding"; tail -n 40 "$out/corpus.log"; return 1
    fi
    if ! "$exe" "${options[@]}" -seed=1 -max_total_time="$seconds" -print_final_stats=1 "$out/corpus" "${dirs[@]}" \
        >"$out/fuzz.log" 2>&1; then
        echo "FAIL $target: finding after fuzzing (input saved in $out/)"; tail -n 40 "$out/fuzz.log"; return 1
    fi
    local execs speed
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/fuzz.log")
    echo "ok   $target: ${#files[@]} corpus files, then ${execs} inputs in ${seconds} s (${speed}/s)"
}
export -f run_target seed_dirs

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_target {} '"$seconds"
