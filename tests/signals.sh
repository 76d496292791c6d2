#!/usr/bin/env bash
# tests/signals.sh: an output folder always holds one whole run, whatever stops econsim and
# whoever else writes into it.
#
#   bash tests/signals.sh BINARY
#
# 1. Ctrl-C, SIGTERM and SIGKILL in the middle of a long ensemble or sweep, and SIGTERM while
#    gnuplot draws: earlier results stay as they were; a catchable signal exits 130, leaves no
#    staging folder or lock file, and no gnuplot running.
# 2. SIGKILL at a random moment, KILL_ROUNDS times (default 60), alternating two scenarios with
#    different files into one folder; the commit is slowed (ECONSIM_TEST_COMMIT_PAUSE_MS) so
#    that many kills land inside it. After each kill the folder is the old run or the new one,
#    byte for byte; every 10th round a run is left to finish, and then nothing a killed run
#    left (staging folders, a folder renamed aside) is there any more.
# 3. Ten runs of ten scenarios into one -o at once, three of them with --no-wait: the folder
#    ends as exactly one of them, whole; the others waited (exit 0) or refused at once (73).
#
# Charts are drawn by a stand-in gnuplot that writes its image at once (the one of the
# charts-64-variables case), so the rounds are quick and many files change hands. Delays come
# from a fixed seed. Prints "signals: N passed, N failed".
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
rounds=${KILL_ROUNDS:-60}
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stub_path="$root/tests/cases/charts-64-variables/bin:/usr/bin:/bin"
RANDOM=2023

fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

# ---------------------------------------------------------------------------------------------
# 1. Catchable signals and SIGKILL in a long run

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
        fail "$name: the run ended before the signal (make it longer)"
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

# SIGTERM while gnuplot draws (a gnuplot that hangs and says its pid): 130, the old folder, and
# the gnuplot processes are gone with econsim
mkdir -p "$tmp/hang-bin" "$tmp/drawing"
cat >"$tmp/hang-bin/gnuplot" <<EOF
#!/bin/sh
echo \$\$ >> "$tmp/gnuplot-pids"
exec sleep 60
EOF
chmod +x "$tmp/hang-bin/gnuplot"
"$binary" run scenarios/linzhou-2023-target.json -o "$tmp/drawing" --quiet --no-charts 2>/dev/null
before=$(cd "$tmp/drawing" && find . -type f -exec md5sum {} + | sort)
PATH="$tmp/hang-bin:/usr/bin:/bin" "$binary" run scenarios/linzhou-2023-risk.json --paths 500 -o "$tmp/drawing" \
    --quiet 2>/dev/null &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/gnuplot-pids" ] && break; sleep 0.05; done
kill -TERM "$pid"
wait "$pid"
status=$?
sleep 0.2
after=$(cd "$tmp/drawing" && find . -type f -exec md5sum {} + | sort)
alive=""
while read -r gp; do
    # killed but not yet reaped by init is gone too (state Z)
    state=$(cut -d' ' -f3 "/proc/$gp/stat" 2>/dev/null || echo gone)
    [ "$state" = gone ] || [ "$state" = Z ] || alive="$alive $gp"
done <"$tmp/gnuplot-pids"
if [ "$status" != 130 ]; then fail "sigterm-drawing: exit $status, expected 130"
elif [ "$before" != "$after" ]; then fail "sigterm-drawing: the earlier results changed"
elif [ -n "$alive" ]; then fail "sigterm-drawing: gnuplot still running:$alive"; kill -9 $alive
elif [ -n "$(find "$tmp" -name '.drawing.econsim-*')" ]; then fail "sigterm-drawing: staging folder or lock left"
else passed=$((passed + 1)); fi

# ---------------------------------------------------------------------------------------------
# 2. SIGKILL at random moments, the commit included

# run_into DIR A|B [PAUSE_MS]: the two runs of the loop (B has an ensemble and fan charts, A
# not), econsim itself in this process (exec), so that a kill of its pid kills econsim
run_into() {
    local dir=$1 which=$2 pause=${3:-0}
    local scenario=(scenarios/linzhou-2023-target.json)
    [ "$which" = B ] && scenario=(scenarios/linzhou-2023-risk.json --paths 2000)
    PATH=$stub_path ECONSIM_TEST_COMMIT_PAUSE_MS=$pause exec "$binary" run "${scenario[@]}" -o "$dir" --quiet --threads 1
}

# is_run DIR REFERENCE: 0 when DIR holds exactly the files of REFERENCE, byte for byte
is_run() {
    diff -r "$1" "$2" >/dev/null 2>&1
}

(run_into "$tmp/ref-A" A 2>/dev/null)
started=$(date +%s%N)
(run_into "$tmp/ref-B" B 2>/dev/null)
# kills fall from a quarter of a run to the end of its slowed commit (3 pauses of 30 ms)
run_ms=$((($(date +%s%N) - started) / 1000000))
window_ms=$((run_ms * 3 / 4 + 120))
if is_run "$tmp/ref-A" "$tmp/ref-B" || [ ! -f "$tmp/ref-B/ensemble.csv" ] || [ -f "$tmp/ref-A/ensemble.csv" ]; then
    fail "kill: the two reference runs are not as expected"
fi
kills="$tmp/kills"
mkdir -p "$kills"
(run_into "$kills/run" A 2>/dev/null)
current=A
old_count=0
new_count=0
in_writing=0
before_swap=0
after_swap=0
bad=0
for round in $(seq "$rounds"); do
    next=$([ "$current" = A ] && echo B || echo A)
    delay_ms=$((run_ms / 4 + RANDOM % window_ms))
    run_into "$kills/run" "$next" 30 2>/dev/null &
    pid=$!
    if [ $((round % 10)) != 0 ]; then
        sleep "$(printf '0.%03d' "$delay_ms")"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    # where the kill landed, from what it left beside the folder
    stage=$(cd "$kills" && ls -d .run.econsim-stage.* 2>/dev/null | head -n 1)
    if [ -n "$stage" ]; then
        if [ ! -f "$kills/$stage/.econsim-run" ]; then in_writing=$((in_writing + 1))
        elif is_run "$kills/$stage" "$tmp/ref-$next"; then before_swap=$((before_swap + 1))
        else after_swap=$((after_swap + 1)); fi
    fi
    if is_run "$kills/run" "$tmp/ref-$current"; then
        old_count=$((old_count + 1))
    elif is_run "$kills/run" "$tmp/ref-$next"; then
        new_count=$((new_count + 1))
        current=$next
    else
        bad=$((bad + 1))
        fail "kill round $round (after ${delay_ms} ms): the folder is neither the old run nor the new one"
        diff -r "$kills/run" "$tmp/ref-$current" | head -n 5
        [ -d "$kills/run" ] || { echo "  the folder is missing"; ls -A "$kills"; }
        break
    fi
    if [ $((round % 10)) = 0 ]; then
        # this run finished: nothing a killed run left outlives it
        left=$(cd "$kills" && ls -A | grep -v '^run$' || true)
        if [ -n "$left" ]; then fail "kill round $round: left beside the folder after a whole run: $left"; bad=$((bad + 1)); fi
    fi
done
if [ "$bad" = 0 ] && [ $((before_swap + after_swap)) = 0 ]; then
    fail "kill: no kill landed in a commit (runs of $run_ms ms; the machine may be too loaded)"
elif [ "$bad" = 0 ]; then
    passed=$((passed + 1))
    echo "signals: $rounds SIGKILL rounds: $old_count left the old run, $new_count the new one, never a mix;" \
        "killed while writing $in_writing, in the commit before the swap $before_swap, after it $after_swap"
fi

# ---------------------------------------------------------------------------------------------
# 3. Ten runs into one folder at once

conc="$tmp/conc"
mkdir -p "$conc/in"
for k in 0 1 2 3 4 5 6 7 8 9; do
    printf '{"name": "concurrent-%d", "title": "并发 %d", "extends": "%s/scenarios/linzhou-2023-target.json",\n "assumptions": {"gdp_real_growth": "%d%%"}}\n' \
        "$k" "$k" "$root" "$((4 + k))" >"$conc/in/s$k.json"
done
extra_args() { [ $(($1 % 2)) = 1 ] && echo "--paths 400"; }
for k in 0 1 2 3 4 5 6 7 8 9; do
    # shellcheck disable=SC2046
    PATH=$stub_path "$binary" run "$conc/in/s$k.json" $(extra_args "$k") -o "$conc/ref-$k" --quiet --threads 1 2>/dev/null
done
for k in 0 1 2 3 4 5 6 7 8 9; do
    wait_option=$([ $((k % 4)) = 3 ] && echo --no-wait)
    # shellcheck disable=SC2046
    PATH=$stub_path "$binary" run "$conc/in/s$k.json" $(extra_args "$k") -o "$conc/out" --quiet --threads 1 \
        $wait_option >/dev/null 2>"$conc/err-$k" &
    pids[k]=$!
done
succeeded=""
waited=0
refused=0
ok=1
for k in 0 1 2 3 4 5 6 7 8 9; do
    wait "${pids[k]}"
    status=$?
    grep -q 'waiting: another econsim is writing into' "$conc/err-$k" && waited=$((waited + 1))
    if [ "$status" = 0 ]; then
        succeeded="$succeeded $k"
    elif [ "$status" = 73 ] && [ $((k % 4)) = 3 ] && grep -q 'another econsim is writing into this folder' "$conc/err-$k"; then
        refused=$((refused + 1))
    else
        fail "concurrent run $k: exit $status: $(head -c 300 "$conc/err-$k")"
        ok=0
    fi
done
matches=""
for k in $succeeded; do is_run "$conc/out" "$conc/ref-$k" && matches="$matches $k"; done
if [ "$(echo $matches | wc -w)" != 1 ]; then
    fail "concurrent runs: the folder is not exactly one of the runs (matches:${matches:- none})"
    ok=0
fi
left=$(cd "$conc" && ls -A | grep -v -e '^in$' -e '^out$' -e '^ref-' -e '^err-' || true)
[ -z "$left" ] || { fail "concurrent runs: left beside the folder: $left"; ok=0; }
if [ $ok = 1 ]; then
    passed=$((passed + 1))
    echo "signals: 10 concurrent runs into one folder: it holds run$matches whole; $(echo $succeeded | wc -w) finished ($waited said they waited), $refused refused at once (--no-wait)"
fi

echo "signals: $passed passed, $failed failed"
[ "$failed" = 0 ]
