#!/usr/bin/env bash
# tests/docs.sh BINARY: the documentation against the program it documents.
#
#   1. every man page (docs/*.1, docs/*.5) renders without a warning: `man --warnings -l`
#      (what a reader's man runs) and groff with every warning on (-ww), on a UTF-8 device;
#      skipped, with a line saying so, when man or groff is missing, unless DOCS_REQUIRE_MAN
#      is set (`make docs` sets it, after installing them: mk/deps.sh install docs);
#   2. econsim.1 names every command and every option that `econsim --help` lists, and every
#      ECONSIM_* environment variable that the sources read;
#   3. the bash completion (completions/econsim), sourced in bash, completes the commands,
#      the options of a command (only its own), the values of --format, folders after -o and
#      *.json files;
#   4. every docs/ file and man page that README.md and HACKING.md link to exists.
# Prints one line per failure and a closing line; exits 1 on any failure.
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
failed=0
checks=0

fail() {
    echo "FAIL docs: $*"
    failed=$((failed + 1))
}

# --- 1. man pages render without warnings -----------------------------------------------

pages=(docs/*.1 docs/*.5)
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    for page in "${pages[@]}"; do
        checks=$((checks + 1))
        warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
        [ -z "$warnings" ] || fail "$page: man --warnings: $warnings"
        warnings=$(groff -ww -z -k -Tutf8 -man "$page" 2>&1)
        [ -z "$warnings" ] || fail "$page: groff -ww: $warnings"
        # the page's name and section match its file name
        head=$(grep -m1 '^\.TH ' "$page")
        name=$(basename "$page")
        set -- $head
        [ "$2" = "$(echo "${name%.*}" | tr a-z A-Z)" ] && [ "$3" = "${name##*.}" ] ||
            fail "$page: .TH says '$2 $3', the file is $name"
    done
elif [ -n "${DOCS_REQUIRE_MAN:-}" ]; then
    fail "man or groff is missing: the man pages cannot be checked (mk/deps.sh install docs)"
else
    echo "docs: man pages not rendered: man or groff is missing (make docs installs them)"
fi

# --- 2. econsim.1 against the program ---------------------------------------------------

usage=$("$binary" --help) || fail "$binary --help failed"
for command in $(echo "$usage" | sed -n 's/^  econsim \([a-z][a-z]*\).*/\1/p'); do
    checks=$((checks + 1))
    grep -qx "\.SS $command" docs/econsim.1 || fail "econsim.1 has no section for the command '$command'"
done
for option in $(echo "$usage" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    checks=$((checks + 1))
    escaped=$(sed 's/-/\\\\-/g' <<<"$option") # --no-wait is written \-\-no\-wait
    grep -q -- "$escaped\b" docs/econsim.1 || fail "econsim.1 does not describe the option $option"
done
for variable in $(grep -rhoE '"ECONSIM_[A-Z_]+"' src | tr -d '"' | sort -u); do
    checks=$((checks + 1))
    grep -q "^\.B $variable\$\|^\.BR $variable\b" docs/econsim.1 || fail "econsim.1 does not describe $variable"
done

# compare is the old name of peers, kept for scripts: the same bytes on both streams
checks=$((checks + 1))
peers_out=$("$binary" peers scenarios/linzhou-2023-target.json 2>&1; echo "exit $?")
compare_out=$("$binary" compare scenarios/linzhou-2023-target.json 2>&1; echo "exit $?")
[ "$peers_out" = "$compare_out" ] || fail "econsim compare does not print what econsim peers prints"

# --- 3. bash completion -----------------------------------------------------------------

# complete WORDS...: the completions bash offers for the command line WORDS (the last word is
# the one being completed), one per line, sorted.
complete_line() {
    bash --norc --noprofile -c '
        . completions/econsim
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _econsim
        printf "%s\n" "${COMPREPLY[@]}" | sort' econsim "$@"
}

# expect "WORDS" EXPECTED: the completions must be exactly EXPECTED (space-separated).
expect() {
    checks=$((checks + 1))
    local got
    got=$(eval "complete_line $1" | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$2" ] || fail "completion of '$1': got '$got', expected '$2'"
}

# expect_has "WORDS" WORD...: each WORD must be among the completions, and no word prefixed
# with ! may be.
expect_has() {
    checks=$((checks + 1))
    local words=$1 got word
    shift
    got=$(eval "complete_line $words")
    for word in "$@"; do
        case $word in
            !*) ! grep -qx -- "${word#!}" <<<"$got" || fail "completion of '$words' offers ${word#!}" ;;
            *) grep -qx -- "$word" <<<"$got" || fail "completion of '$words' lacks $word (got: $(echo $got))" ;;
        esac
    done
}

if command -v bash >/dev/null 2>&1; then
    expect "econsim ''" "--help --version backtest check explain help init list peers run solve sweep"
    expect "econsim s" "solve sweep"
    expect "econsim help ''" "backtest check explain help init list peers run solve sweep"
    expect "econsim init --" "--county --from --help --quiet"
    expect "econsim init x --from scenarios/linzhou-2023-t" "scenarios/linzhou-2023-target.json"
    expect "econsim init x --county ''" ""
    expect "econsim compare --" "--follow-symlinks --help --no-wait --output --quiet"
    expect_has "econsim run --" --output --format --no-charts --paths --seed --threads --as-of --no-wait \
        --follow-symlinks --quiet --help '!--goal' '!--samples'
    expect_has "econsim solve --" --goal --as-of --output --quiet '!--paths' '!--format'
    expect_has "econsim sweep --" --samples --seed --threads --as-of --format --no-charts '!--paths' '!--goal'
    expect "econsim check --" "--help --quiet"
    expect "econsim run --format ''" "pdf png svg"
    expect "econsim sweep --format p" "pdf png"
    expect "econsim run --format = s" "svg"
    expect "econsim run --paths ''" ""
    expect "econsim run scenarios/linzhou-2023-t" "scenarios/linzhou-2023-target.json"
    expect "econsim check models/" "models/county.json"
    expect_has "econsim run ''" scenarios models '!README.md' '!Makefile'
    expect_has "econsim run -o ''" scenarios docs '!README.md'
    expect "econsim run -o scenarios/" "scenarios/province"
    expect "econsim run x.json --output sc" "scenarios"
fi

# --- 4. links from the top-level documents ----------------------------------------------

# anchors FILE: the anchors of FILE's headings, as GitHub makes them (lower case, punctuation
# dropped, spaces to hyphens), one per line.
anchors() {
    sed -n 's/^#\{1,6\} //p' "$1" | sed 's/[A-Z]/\L&/g; s/[^a-z0-9 _-]//g; s/ /-/g'
}

for doc in README.md HACKING.md docs/*.md; do
    [ -f "$doc" ] || continue
    for link in $(grep -o '](\([^) ]*\))' "$doc" | sed 's/^](//; s/)$//' | grep -v '^[a-z]*://'); do
        checks=$((checks + 1))
        target=${link%%#*}
        anchor=${link#"$target"}
        anchor=${anchor#\#}
        file=$(dirname "$doc")/$target
        [ -z "$target" ] && file=$doc
        if [ ! -e "$file" ]; then
            fail "$doc links to $target, which does not exist"
        elif [ -n "$anchor" ] && ! anchors "$file" | grep -qx -- "$anchor"; then
            fail "$doc links to $link: $target has no heading with that anchor"
        fi
    done
done

echo "docs: $checks checks, $failed failed"
[ "$failed" = 0 ]
