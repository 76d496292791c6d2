#!/usr/bin/env bash
# tests/injection.sh: no text from an input file reaches gnuplot as anything but text.
#
#   bash tests/injection.sh BINARY
#
# tests/data/injection/ holds a model, a scenario, a second scenario, a goal file, an
# observations file, places.json and four sweeps in which every free-text field (titles,
# labels, units, notes, sources, grades, place names, goal labels, sweep and chart notes)
# carries every trap at once: quotes, a backquote, @macros, a newline followed by `!touch` and
# `system("touch")`, a datablock end marker, string concatenation, terminal escapes and a
# trailing backslash. Each payload would create a file named pwned-*.
#
# The model and observations files are given hostile names as well (they reach footnotes).
# Every chart kind is drawn from them (trajectory, goals, peers, fan, compare, tornado,
# sobol, morris, heatmap), then every saved .gp is drawn again by hand as the README says
# (cd charts && gnuplot NAME.gp). Asserted: econsim exits 0 and reports no chart problem;
# each redraw exits 0 with nothing on standard error and gives the same image; no pwned-*
# file exists anywhere; nothing the terminal would obey was printed.
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"

# The inputs, copied so that the model and the observations have hostile file names too (they
# reach messages, summary.json and, for the observations, chart footnotes): a quote, a backquote, $( ), @, a backslash and a newline.
data=$tmp/in
mkdir -p "$data"
cp "$root"/tests/data/injection/* "$data/"
model_name=$'model \' " ` $(touch pwned-path) @t0 \\\n!touch pwned-path-nl.json'
history_name=$'obs \' " ` $(touch pwned-path2) \\\nsystem("touch pwned-path2-nl").csv'
mv "$data/model.json" "$data/$model_name"
mv "$data/observations.csv" "$data/$history_name"
json_string() {
    local text=${1//\\/\\\\}
    text=${text//\"/\\\"}
    printf '%s' "${text//$'\n'/\\n}"
}
shopt -u patsub_replacement 2>/dev/null
scenario=$(cat "$data/scenario.json")
scenario=${scenario//\"model.json\"/\"$(json_string "$model_name")\"}
scenario=${scenario//\"observations.csv\"/\"$(json_string "$history_name")\"}
printf '%s\n' "$scenario" >"$data/scenario.json"
# a sweep with a short title, so that the model's title fits in its chart's footnote
printf '{"name": "paths", "title": "短", "extends": "sweep-oat.json"}\n' >"$data/paths.json"
passed=0
failed=0

fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

# econsim NAME ARGS...: runs econsim from the source tree; it must exit 0, say nothing about a
# chart, and print no escape sequence (ESC, BEL, the C1 CSI, a right-to-left override) to the
# terminal: tables, messages and file names show them escaped (\x1b).
econsim() {
    local name=$1
    shift
    (cd "$root" && HOME=$tmp/home "$binary" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null)
    local status=$?
    local ok=1
    [ "$status" = 0 ] || { fail "$name: econsim exited $status"; ok=0; }
    if grep -a -i -E 'gnuplot|chart' "$tmp/$name.err" >/dev/null; then
        fail "$name: a chart problem was reported:"
        grep -a -i -E 'gnuplot|chart' "$tmp/$name.err" | head -n 3 | cut -c1-300
        ok=0
    fi
    if LC_ALL=C grep -a -q -P '\x1b|\x07|\xc2\x9b|\xe2\x80\xae' "$tmp/$name.out" "$tmp/$name.err"; then
        fail "$name: an escape sequence reached the terminal"
        LC_ALL=C grep -a -n -P '\x1b|\x07|\xc2\x9b|\xe2\x80\xae' "$tmp/$name.out" "$tmp/$name.err" | head -n 3 | cut -c1-200
        ok=0
    fi
    [ $ok = 1 ] && passed=$((passed + 1))
    [ $ok = 1 ] || sed 's/^/  stderr: /' "$tmp/$name.err" | head -n 5 | cut -c1-300
}

econsim check check "$data/$model_name" "$data/scenario.json" "$data/other.json" "$data/goals.json" \
    "$data/sweep-oat.json" "$data/sweep-sobol.json" "$data/sweep-morris.json" "$data/sweep-grid.json"
econsim run run "$data/scenario.json" -o "$tmp/run" --format svg
econsim compare run "$data/scenario.json" "$data/other.json" -o "$tmp/compare"
econsim oat sweep "$data/sweep-oat.json" -o "$tmp/oat"
econsim paths sweep "$data/paths.json" -o "$tmp/paths"
econsim sobol sweep "$data/sweep-sobol.json" -o "$tmp/sobol"
econsim morris sweep "$data/sweep-morris.json" -o "$tmp/morris"
econsim grid sweep "$data/sweep-grid.json" -o "$tmp/grid"
econsim solve solve "$data/scenario.json" -o "$tmp/solve"
econsim peers compare "$data/scenario.json"
econsim list-model list "$data/$model_name"
econsim list-scenario list "$data/scenario.json"
econsim explain explain "$data/scenario.json"

# every chart kind was drawn
for pattern in 'run/charts/output.svg' 'run/charts/revenue.svg' 'run/charts/goals.svg' 'run/charts/peers-output.svg' \
    'run/charts/fan-output.svg' 'compare/comparison/charts/compare-output.png' 'oat/charts/tornado-revenue-2025.png' \
    'sobol/charts/sobol-revenue-2025.png' 'morris/charts/morris-revenue-2025.png' 'grid/charts/heatmap-revenue-2025.png'; do
    # shellcheck disable=SC2086
    set -- $tmp/$pattern
    if [ -s "$1" ]; then passed=$((passed + 1)); else fail "no chart $pattern"; fi
done

# the hostile texts did reach the scripts (as escaped text): the observations' file name in a
# trajectory's footnote, the model's title in a sweep chart's (which names the model by its
# title, never by its path)
if grep -q 'pwned-bang-model-title' "$tmp/paths/charts/tornado-revenue-2025.gp" &&
    grep -q 'pwned-path2' "$tmp/run/charts/output.gp"; then
    passed=$((passed + 1))
else
    fail "the model's title and the observations' file name are not in the chart footnotes"
fi

# every saved script redraws its chart by hand: exit 0, nothing on standard error, the same image
scripts=0
while IFS= read -r script; do
    scripts=$((scripts + 1))
    dir=$(dirname "$script")
    name=$(basename "$script" .gp)
    image=$(cd "$dir" && ls "$name".png "$name".svg "$name".pdf 2>/dev/null | head -n 1)
    if [ -z "$image" ]; then
        fail "$script: econsim drew no image"
        continue
    fi
    cp "$dir/$image" "$tmp/drawn-by-econsim"
    rm -f "$dir/$image"
    (cd "$dir" && HOME=$tmp/home gnuplot "$name.gp" >"$tmp/redraw.out" 2>"$tmp/redraw.err" </dev/null)
    status=$?
    if [ "$status" != 0 ]; then
        fail "$script: gnuplot exited $status on the saved script"
    elif [ -s "$tmp/redraw.err" ]; then
        fail "$script: gnuplot wrote to standard error: $(head -c 300 "$tmp/redraw.err")"
    elif ! cmp -s "$dir/$image" "$tmp/drawn-by-econsim"; then
        fail "$script: the redrawn image differs from econsim's"
    else
        passed=$((passed + 1))
    fi
done < <(find "$tmp" -name '*.gp' | sort)
[ "$scripts" -ge 25 ] || fail "only $scripts chart scripts were written"

# no payload ran, neither when econsim drew the charts nor when they were redrawn
pwned=$(find "$tmp" "$root/tests/data/injection" "$root" -maxdepth 1 -name 'pwned*' | head -n 5)
pwned=${pwned:-$(find "$tmp" -name 'pwned*' | head -n 5)}
if [ -n "$pwned" ]; then fail "a command ran: $pwned"; else passed=$((passed + 1)); fi

echo "injection: $passed passed, $failed failed ($scripts chart scripts redrawn)"
[ "$failed" = 0 ]
