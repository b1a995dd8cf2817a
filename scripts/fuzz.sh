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
# libFuzzer runs in fork mode with one worker (-fork=1): a crash is recorded in
# fuzz/artifacts/TARGET/ and fuzzing goes on for the whole time; the script then
# exits 1. Prints one summary line a target: time, executions, crashes.
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
    while [ "$left" -gt 0 ]; do
        now=$((piece < left ? piece : left))
        cargo fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
            -max_total_time="$now" -timeout=20 -rss_limit_mb=4096 \
            -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
            -artifact_prefix="artifacts/$t/" >"$log.piece" 2>&1
        cat "$log.piece" >>"$log"
        # Fork mode's status lines: "#EXECS: cov: ... crash: N ...".
        n=$(grep -o '^#[0-9]*: cov' "$log.piece" | tail -1 | tr -dc '0-9')
        runs=$((runs + ${n:-0}))
        left=$((left - now))
    done
    rm -f "$log.piece"
    found=$(find "artifacts/$t" -type f | wc -l)
    echo "$t: ${secs} s, $runs executions, $found crash/leak/timeout inputs in fuzz/artifacts/$t, corpus $(find "corpus/$t" -type f | wc -l) files"
    [ "$found" -gt 0 ] && status=1
done
exit $status
