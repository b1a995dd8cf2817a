#!/usr/bin/env bash
# Reruns the fuzz targets of fuzz/ one at a time, each for SECONDS (default 600),
# from the committed seeds (fuzz/seeds/TARGET) and the working corpus
# (fuzz/corpus/TARGET, not committed). One libFuzzer process at a time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Stable Rust: the targets are
# built with `--sanitizer none` (libFuzzer's coverage, no AddressSanitizer,
# which needs nightly; the project has no `unsafe`, so ASan would add little).
# A crash leaves its input in fuzz/artifacts/TARGET/ and makes the script exit 1.
# Prints one summary line a target: time, executions, crashes.
set -u
cd "$(dirname "$0")/../fuzz"
secs=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(text_pipeline geojson_reader csv_gpkg_reader gazetteer_reader)
fi
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
cargo fuzz build --sanitizer none || exit 2
mkdir -p logs
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log="logs/$t.log"
    : >"$log"
    # gazetteer_reader keeps each index it opens for the process's life
    # (`Gazetteer::from_index` takes `&'static [u8]`): run it in one-minute pieces.
    piece=$secs
    if [ "$t" = gazetteer_reader ] && [ "$secs" -gt 60 ]; then piece=60; fi
    left=$secs
    runs=0
    crashes=0
    while [ "$left" -gt 0 ]; do
        now=$((piece < left ? piece : left))
        cargo fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
            -max_total_time="$now" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
            -artifact_prefix="artifacts/$t/" >>"$log" 2>&1 || crashes=$((crashes + 1))
        n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
        runs=$((runs + ${n:-0}))
        left=$((left - now))
        [ "$crashes" -gt 0 ] && break
    done
    found=$(find "artifacts/$t" -type f | wc -l)
    echo "$t: ${secs} s, $runs executions, $found crash/leak/timeout inputs in fuzz/artifacts/$t, corpus $(find "corpus/$t" -type f | wc -l) files"
    [ "$found" -gt 0 ] && status=1
done
exit $status
