#!/usr/bin/env bash
# tests/signals.sh: a run stopped midway (Ctrl-C, SIGTERM, SIGKILL) leaves earlier results
# intact and no half-written file under any output name.
#
#   bash tests/signals.sh BINARY
#
# Each case starts a long ensemble run into a folder that holds earlier results, stops it
# after a moment, and checks the folder. Prints "signals: N passed, N failed".
set -u
binary=$1
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_case() {
    local name=$1 signal=$2 expected=$3 command=$4
    local out="$tmp/$name"
    mkdir -p "$out"
    printf 'EARLIER RESULTS\n' >"$out/projection.csv"
    printf '{"earlier": true}\n' >"$out/summary.json"
    printf 'econsim run\n' >"$out/.econsim-run"
    "$binary" $command -o "$out" --quiet --no-charts >/dev/null 2>"$tmp/$name.err" &
    local pid=$!
    sleep 1
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "FAIL $name: the run ended before the signal (make it longer)"
        failed=$((failed + 1))
        return
    fi
    kill -s "$signal" "$pid"
    wait "$pid" 2>/dev/null
    local status=$?
    local ok=1
    if [ -n "$expected" ] && [ "$status" != "$expected" ]; then
        echo "FAIL $name: exit status $status, expected $expected"
        ok=0
    fi
    grep -qx 'EARLIER RESULTS' "$out/projection.csv" || { echo "FAIL $name: projection.csv was replaced"; ok=0; }
    grep -q '"earlier": true' "$out/summary.json" || { echo "FAIL $name: summary.json was replaced"; ok=0; }
    local extra
    extra=$(cd "$out" && ls -A | grep -v -e '^projection.csv$' -e '^summary.json$' -e '^.econsim-run$' || true)
    [ -z "$extra" ] || { echo "FAIL $name: new files under output names: $extra"; ok=0; }
    if [ "$signal" != KILL ]; then
        # a catchable signal also removes the staging folder and the lock file
        local temps
        temps=$(find "$tmp" -name ".$name.econsim-*" | head -n 3)
        [ -z "$temps" ] || { echo "FAIL $name: staging folder or lock left: $temps"; ok=0; }
    fi
    if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); sed 's/^/  stderr: /' "$tmp/$name.err" | head -n 5; fi
}

long_run="run scenarios/linzhou-2023-risk.json --paths 60000000 --threads 1"
check_case ctrl-c INT 130 "$long_run"
check_case sigterm TERM 130 "$long_run"
check_case sigkill KILL 137 "$long_run"
check_case sweep-ctrl-c INT 130 "sweep scenarios/linzhou-sensitivity.json --samples 1048576 --threads 1"
echo "signals: $passed passed, $failed failed"
[ "$failed" = 0 ]
