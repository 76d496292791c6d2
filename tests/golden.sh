#!/usr/bin/env bash
# tests/golden.sh BINARY: runs every shipped scenario and sweep, and the read-only commands,
# with a fixed seed and one thread, and prints one line per output: a SHA-256 and a name.
# Printed to stdout as a manifest; two manifests compared with diff show exactly which
# output bytes a change moved. For refactors that must keep every output byte:
#
#   bash tests/golden.sh build/econsim > /tmp/before.txt
#   ... change the code, rebuild ...
#   bash tests/golden.sh build/econsim | diff /tmp/before.txt -
#
# It covers files (projection.csv, goals.csv, ... charts and their scripts), what each command
# prints on stdout and stderr, and its exit status. Not part of `make check`: the CLI cases
# pin the outputs that tests rely on; this pins all of them, for a refactor.
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 1

step=0
# run NAME ARGS...: runs econsim; records its exit status, stdout and stderr (with the
# temporary folder's name replaced, so manifests of two runs compare).
run() {
    local name=$1
    shift
    step=$((step + 1))
    "$binary" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
    echo "exit $? $name"
    for stream in stdout stderr; do
        sed "s|$tmp|TMP|g" "$tmp/$stream" | sha256sum | sed "s|-\$|$name.$stream|"
    done
}

for s in scenarios/linzhou-baseline.json scenarios/linzhou-2023-target.json scenarios/linzhou-2023-risk.json; do
    name=$(basename "$s" .json)
    run "run-$name" run "$s" -o "$tmp/run-$name" --threads 1
done
run run-two run scenarios/linzhou-baseline.json scenarios/linzhou-2023-target.json -o "$tmp/run-two" --threads 1
for s in scenarios/linzhou-sensitivity.json scenarios/linzhou-grid.json scenarios/linzhou-oat.json scenarios/linzhou-morris.json; do
    name=$(basename "$s" .json)
    run "sweep-$name" sweep "$s" -o "$tmp/sweep-$name" --threads 1
done
run solve solve scenarios/linzhou-2023-target.json -o "$tmp/solve"
run solve-joint solve scenarios/linzhou-2023-target.json --goal 166-gdp-2025 --goal 166-revenue-2025 -o "$tmp/solve-joint"
run compare compare scenarios/linzhou-2023-target.json -o "$tmp/compare"
run backtest backtest scenarios/linzhou-baseline.json -o "$tmp/backtest" --threads 1
run backtest-bands backtest scenarios/linzhou-2023-risk.json -o "$tmp/backtest-bands" --threads 1
run solve-from solve scenarios/linzhou-2023-target.json --goal 166-gdp-2025 --from 2025 -o "$tmp/solve-from"
run check check models/county.json scenarios/*.json
run list-model list models/county.json
run list-scenario list scenarios/linzhou-2023-target.json
run explain explain scenarios/linzhou-2023-target.json
run help --help

# every file written, by its path under the temporary folder
(cd "$tmp" && find . -type f ! -name stdout ! -name stderr ! -name '.econsim-run' | LC_ALL=C sort | xargs -d '\n' sha256sum)
