#!/usr/bin/env bash
# tests/tutorial.sh BUILD: runs the tutorial (docs/tutorial.md, and checks its English copy
# docs/tutorial.en.md) as a planner would, so that it can never go stale.
#
# The fenced blocks of the tutorial are taken in order:
#   ```sh          commands (heredocs that write files included): run, in one bash, as the
#                  reader would paste them, with HOME a fresh temporary folder; a command
#                  that fails fails the test;
#   ```text        output quoted in the text: each of its lines must appear (as fixed text)
#                  in what the sh block before it printed;
#   ```sh install  the installing step, run in the source tree: done here as the same
#                  `make install` staged with DESTDIR into the temporary folder (so the build
#                  tree is not rebuilt for another PREFIX), with its bin/ put first on PATH.
# Both copies must hold the same commands (the English copy follows the same task), and the
# quoted output of both is checked.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset ECONSIM_PATH
# MAKEFLAGS is kept: under `make check` it carries BUILD, OPT, SANITIZE and CC, so the install
# below uses the tree that was built, as it was built, and rebuilds nothing
make=${MAKE:-make}
failed=0
fail() {
    echo "FAIL tutorial: $*"
    failed=1
}

# extract DOC DIR: the blocks of DOC into DIR/NNN.sh, NNN.text, NNN.install (in order)
extract() {
    mkdir -p "$2"
    awk -v dir="$2" '
        /^```/ {
            if (kind != "") { close(file); kind = ""; next }
            info = substr($0, 4)
            kind = info == "sh" ? "sh" : info == "sh install" ? "install" : info == "text" ? "text" : "other"
            n++
            file = sprintf("%s/%03d.%s", dir, n, kind)
            printf "" > file
            next
        }
        kind != "" { print >> file }
    ' "$1"
}

extract "$root/docs/tutorial.md" "$tmp/zh"
extract "$root/docs/tutorial.en.md" "$tmp/en"
cat "$tmp"/zh/*.sh >"$tmp/zh.commands" 2>/dev/null
cat "$tmp"/en/*.sh >"$tmp/en.commands" 2>/dev/null
[ -s "$tmp/zh.commands" ] || fail "docs/tutorial.md has no sh blocks"
cmp -s "$tmp/zh.commands" "$tmp/en.commands" ||
    fail "docs/tutorial.en.md does not run the same commands as docs/tutorial.md: $(diff "$tmp/zh.commands" "$tmp/en.commands" | head -5)"
ls "$tmp"/zh/*.install >/dev/null 2>&1 || fail "docs/tutorial.md has no 'sh install' block"

# the installing step, staged
prefix=$(cd "$root" && ${make} -s --no-print-directory -f - print-prefix <<'EOF'
include Makefile
print-prefix:
	@echo $(PREFIX)
EOF
)
if ! (cd "$root" && ${make} -s --no-print-directory BUILD="$build" DESTDIR="$tmp/root" install) >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    fail "make install failed"
    exit 1
fi

# the commands, block by block, in one shell (a cd in one block holds for the next)
mkdir -p "$tmp/home"
driver="$tmp/driver.sh"
{
    echo "set -e"
    echo "cd \"\$HOME\""
    for block in "$tmp"/zh/*.sh; do
        echo "echo '$block' >'$tmp/current'"
        echo "source '$block' >'$block.out' 2>&1"
    done
    echo "echo done >'$tmp/current'"
} >"$driver"
HOME="$tmp/home" PATH="$tmp/root$prefix/bin:$PATH" bash "$driver" </dev/null
status=$?
if [ $status != 0 ]; then
    block=$(cat "$tmp/current")
    fail "a command failed (exit $status) in the block:"
    sed 's/^/  | /' "$block"
    sed 's/^/  > /' "$block.out" | tail -20
fi

# the quoted output, in both copies
zh_blocks=("$tmp"/zh/*.sh)
for lang in zh en; do
    last=""
    k=0
    for file in "$tmp/$lang"/*; do
        case $file in
            *.sh) # the k-th block of commands: the same in both copies, run once (zh)
                last="${zh_blocks[$k]}.out"
                k=$((k + 1))
                ;;
            *.text)
                [ -n "$last" ] || { fail "$lang: a text block before any command"; continue; }
                [ -f "$last" ] || continue # its command did not run (reported above)
                while IFS= read -r line || [ -n "$line" ]; do
                    [ -z "${line// /}" ] && continue
                    grep -qF -- "$line" "$last" || fail "$lang: the output of $(head -1 "${last%.out}") lacks: $line"
                done <"$file"
                ;;
        esac
    done
done

[ $failed = 0 ] && echo "tutorial: $(ls "$tmp"/zh/*.sh | wc -l) blocks of commands ran, the quoted output matches (zh, en)"
exit $failed
