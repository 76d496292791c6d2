#!/usr/bin/env bash
# tests/run_cases.sh: end-to-end CLI cases kept as data (as curl and jq keep theirs).
#
#   bash tests/run_cases.sh BINARY CASES_DIR [NAME...]
#
# Each case is a folder CASES_DIR/NAME holding:
#   cmd      one line: the arguments to the binary, split on spaces (never through a shell).
#            $CASE is the case folder, $OUT a fresh empty output folder, $ROOT the source tree.
#   status   the expected exit code.
#   stderr   optional: lines that must each appear (as fixed text) in standard error.
#   stdout   optional: lines that must each appear in standard output.
#   files    optional: lines "FILE|TEXT": FILE (under $OUT) must contain TEXT.
#   numbers  optional: lines "FILE|PREFIX|EXPECTED|RELTOL": the line of FILE that starts with
#            PREFIX is followed by a number within RELTOL (relative) of EXPECTED.
#   absent   optional: lines naming files under $OUT that must not exist afterwards.
#   before/  optional: copied into $OUT before the run (earlier results that must survive).
#   fifos    optional: lines naming FIFOs to make under $OUT before the run (nothing ever
#            writes to them: a program that opens one for a blocking read hangs until timeout).
#   env      optional: lines NAME=VALUE set in the binary's environment ($CASE, $OUT, $ROOT
#            expanded), e.g. PATH=$CASE/no-gnuplot to run without gnuplot.
# Prints one line per failure and a closing "N passed, N failed" line; exits 1 on any failure.
# The cases run in English whatever the caller's locale (LANG=C.UTF-8); a case asks for Chinese with
# --lang zh in cmd or LANG=zh_CN.UTF-8 in env.
set -u
export LANG=C.UTF-8
unset LANGUAGE LC_ALL LC_MESSAGES
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cases=$2
shift 2
root=$(pwd)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL $name: $*"
    ok=0
}

run_case() {
    local dir=$1
    name=$(basename "$dir")
    ok=1
    local out="$tmp/$name"
    rm -rf "$out"
    mkdir -p "$out"
    [ -d "$dir/before" ] && cp -R "$dir/before/." "$out/"
    if [ -f "$dir/fifos" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] && mkfifo "$out/$line"
        done <"$dir/fifos"
    fi
    local line args=() word
    IFS= read -r line <"$dir/cmd"
    set -f
    for word in $line; do
        word=${word//\$CASE/$dir}
        word=${word//\$OUT/$out}
        word=${word//\$ROOT/$root}
        args+=("$word")
    done
    set +f
    local expected_status
    expected_status=$(tr -d ' \n' <"$dir/status")
    local envs=()
    if [ -f "$dir/env" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            [ -z "$line" ] && continue
            line=${line//\$CASE/$dir}
            line=${line//\$OUT/$out}
            line=${line//\$ROOT/$root}
            envs+=("$line")
        done <"$dir/env"
    fi
    (cd "$root" && timeout 60 env ${envs[@]+"${envs[@]}"} "$binary" "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null)
    local status=$?
    [ "$status" = "$expected_status" ] || fail "exit status $status, expected $expected_status"
    [ "$status" -ge 128 ] && fail "killed by signal $((status - 128))"
    local stream
    for stream in stdout stderr; do
        [ -f "$dir/$stream" ] || continue
        while IFS= read -r line || [ -n "$line" ]; do
            [ -z "$line" ] && continue
            grep -qF -- "$line" "$tmp/$stream" || fail "$stream lacks: $line"
        done <"$dir/$stream"
    done
    if [ -f "$dir/files" ]; then
        while IFS='|' read -r file text || [ -n "$file" ]; do
            [ -z "$file" ] && continue
            if [ ! -f "$out/$file" ]; then fail "missing output $file"; continue; fi
            grep -qF -- "$text" "$out/$file" || fail "$file lacks: $text"
        done <"$dir/files"
    fi
    if [ -f "$dir/numbers" ]; then
        while IFS='|' read -r file prefix expected tolerance || [ -n "$file" ]; do
            [ -z "$file" ] && continue
            if [ ! -f "$out/$file" ]; then fail "missing output $file"; continue; fi
            local got
            got=$(awk -v p="$prefix" 'index($0, p) == 1 { rest = substr($0, length(p) + 1); split(rest, f, ","); print f[1]; exit }' "$out/$file")
            if [ -z "$got" ]; then fail "$file has no line starting with $prefix"; continue; fi
            awk -v g="$got" -v e="$expected" -v t="$tolerance" 'BEGIN { d = g - e; if (d < 0) d = -d; s = e < 0 ? -e : e; if (s < 1e-300) s = 1; exit !(d / s <= t) }' ||
                fail "$file $prefix: got $got, expected $expected (relative tolerance $tolerance)"
        done <"$dir/numbers"
    fi
    if [ -f "$dir/absent" ]; then
        while IFS= read -r file || [ -n "$file" ]; do
            [ -z "$file" ] && continue
            [ -e "$out/$file" ] && fail "$file should not exist"
        done <"$dir/absent"
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "  command: $binary ${args[*]}"
        sed 's/^/  stderr: /' "$tmp/stderr" | head -n 8
    fi
}

if [ $# -gt 0 ]; then
    for n in "$@"; do run_case "$cases/$n"; done
else
    for dir in "$cases"/*/; do
        [ -f "$dir/cmd" ] && run_case "${dir%/}"
    done
fi
echo "cases: $passed passed, $failed failed"
[ "$failed" = 0 ]
