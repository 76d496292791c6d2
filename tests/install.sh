#!/usr/bin/env bash
# tests/install.sh BUILD: `make install` and `make uninstall` into a temporary root.
#
#   - with an untracked scratch scenario lying in scenarios/, install puts the shipped files
#     only (in a git checkout: exactly the tracked models, scenarios, data and plots);
#   - the installed program runs a shipped scenario copied into a folder of its own, without
#     ECONSIM_PATH: its base, model and observations come from the installed share folder;
#   - uninstall leaves the prefix empty.
# The install is staged with DESTDIR (PREFIX stays as configured, so nothing is rebuilt);
# the installed program finds its share folder beside itself, BIN/../share/econsim.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
scratch="$root/scenarios/zz-install-test-scratch-$$.json"
trap 'rm -rf "$tmp"; rm -f "$scratch"' EXIT
# MAKEFLAGS is kept: under `make check` it carries BUILD, OPT, SANITIZE and CC, so the install
# below uses the tree that was built, as it was built, and rebuilds nothing
make=${MAKE:-make}
failed=0
fail() {
    echo "FAIL install: $*"
    failed=1
}
cd "$root" || exit 1
prefix=$(${make} -s --no-print-directory -f - print-prefix <<'EOF'
include Makefile
print-prefix:
	@echo $(PREFIX)
EOF
)
[ -n "$prefix" ] || { echo "FAIL install: cannot read PREFIX from the Makefile"; exit 1; }

printf '{"name": "scratch", "extends": "no-such-base.json"}\n' >"$scratch"
if ! ${make} -s --no-print-directory BUILD="$build" DESTDIR="$tmp/root" install >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    fail "make install failed"
fi
share="$tmp/root$prefix/share/econsim"
[ -x "$tmp/root$prefix/bin/econsim" ] || fail "no $prefix/bin/econsim installed"
[ -f "$share/scenarios/linzhou-baseline.json" ] || fail "the shipped baseline was not installed"
[ -e "$share/scenarios/$(basename "$scratch")" ] && fail "the untracked scratch scenario was installed"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$share" && find . -type f | sed 's|^\./||' | sort) >"$tmp/installed"
    git -C "$root" ls-files models scenarios data plots | sort >"$tmp/tracked"
    diff "$tmp/tracked" "$tmp/installed" >"$tmp/diff" ||
        fail "the installed files are not the tracked ones (update SHIPPED_* in the Makefile): $(cat "$tmp/diff")"
fi
for page in man1/econsim.1 man5/econsim-scenario.5; do
    [ -f "$tmp/root$prefix/share/man/$page" ] || fail "man page $page not installed"
done

# the translations: installed, and found by the installed program (beside it, in share/locale)
[ -f "$tmp/root$prefix/share/locale/zh_CN/LC_MESSAGES/econsim.mo" ] || fail "the zh_CN catalogue was not installed"
help_zh=$(env -u ECONSIM_LOCALEDIR "$tmp/root$prefix/bin/econsim" --lang zh --help 2>&1)
case "$help_zh" in *用法*) ;; *) fail "the installed program does not find its Chinese catalogue: $help_zh" ;; esac

# a shipped scenario copied into a folder of its own runs from the installed program alone
mkdir -p "$tmp/work"
cp "$root/scenarios/linzhou-2023-target.json" "$tmp/work/mine.json"
(cd "$tmp/work" && env -u ECONSIM_PATH "$tmp/root$prefix/bin/econsim" run mine.json -o out --no-charts -q \
    >"$tmp/run.out" 2>"$tmp/run.err")
status=$?
[ "$status" = 0 ] || fail "the copied scenario did not run from the installed prefix (exit $status): $(cat "$tmp/run.err")"
summary="$tmp/work/out/summary.json"
grep -q "\"path\":[[:space:]]*\"$share/scenarios/linzhou-baseline.json\"" "$summary" 2>/dev/null ||
    fail "summary.json does not record the base found in the installed share folder"
grep -q "\"via\":[[:space:]]*\"installed share folder\"" "$summary" 2>/dev/null ||
    fail "summary.json does not say the base came from the installed share folder"
grep -q "\"model\":[[:space:]]*\"$share/models/county.json\"" "$summary" 2>/dev/null ||
    fail "the model was not the installed one"

if ! ${make} -s --no-print-directory BUILD="$build" DESTDIR="$tmp/root" uninstall >"$tmp/uninstall.log" 2>&1; then
    cat "$tmp/uninstall.log"
    fail "make uninstall failed"
fi
left=$(find "$tmp/root$prefix" -mindepth 1 2>/dev/null)
[ -z "$left" ] || fail "uninstall left files behind: $left"

[ $failed = 0 ] && echo "install: the shipped files only, a copied scenario runs, uninstall leaves the prefix empty"
exit $failed
