#!/usr/bin/env bash
# tests/init.sh BINARY: `econsim init` in a folder of its own.
#
#   - the file init writes passes `check` and `run`; as it sets nothing, its projection is the
#     baseline's, number for number;
#   - each commented example holds the inherited value: with every example un-commented (the
#     '_' in front of each assumption removed) the file still passes check and the projection
#     is still the baseline's;
#   - init over an existing file fails with 73 and leaves the file as it was;
#   - --from names a scenario by its name; --county must be a place of the observations.
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() {
    echo "FAIL init: $*"
    failed=1
}
cd "$tmp" || exit 1
unset ECONSIM_PATH

# the values of projection.csv without the scenario column
values() { cut -d, -f2- "$1"; }

"$binary" run "$root/scenarios/linzhou-baseline.json" -o base --no-charts -q 2>/dev/null || fail "the baseline did not run"

"$binary" init mine >init.out 2>init.err || fail "init mine failed: $(cat init.err)"
[ -f mine.json ] || fail "init wrote no mine.json"
grep -q '"extends": "linzhou-baseline.json"' mine.json || fail "mine.json does not extend the shipped baseline by name"
grep -q '"_gdp_real_growth": {"2023-2025": 0.055, "2026-2030": 0.05,' mine.json ||
    fail "the example of gdp_real_growth does not hold the baseline's 5.5% (2023-2025) and 5% (2026-2030)"
grep -q '"_revenue_buoyancy": {"value": 1.2,' mine.json || fail "the example of revenue_buoyancy is not the baseline's 1.2"
"$binary" check mine.json >check.out 2>&1 || fail "check mine.json failed: $(cat check.out)"
"$binary" run mine.json -o run --no-charts -q 2>/dev/null || fail "run mine.json failed"
diff <(values base/projection.csv) <(values run/projection.csv) >/dev/null ||
    fail "the projection of a file that sets nothing differs from the baseline's"

# every example un-commented: still the baseline
sed 's/^    "_\([a-z]\)/    "\1/' mine.json >all.json
sed -i 's/"name": "mine"/"name": "all"/' all.json
# one example for each parameter and exogenous series of the model
# (econsim list prints each under "parameters:" and "exogenous series:", indented two spaces)
slots=$("$binary" list "$root/models/county.json" |
    awk '/^[a-z]/ { in_inputs = ($0 == "parameters:" || $0 == "exogenous series:") } in_inputs && /^  [a-z_0-9]+ / { n++ } END { print n + 0 }')
[ "$slots" -gt 0 ] || fail "econsim list shows no parameters or exogenous series"
[ "$(grep -c '^    "[a-z]' all.json)" = "$slots" ] || fail "not one example for each of the model's $slots parameters and exogenous series"
"$binary" check all.json >check.out 2>&1 || fail "check of the un-commented examples failed: $(cat check.out)"
"$binary" run all.json -o all --no-charts -q 2>/dev/null || fail "run of the un-commented examples failed"
diff <(values base/projection.csv) <(values all/projection.csv) >/dev/null ||
    fail "un-commenting the examples changed the projection: the examples do not hold the inherited values"

# never over an existing file
cp mine.json before.json
"$binary" init mine >/dev/null 2>err.txt
status=$?
[ $status = 73 ] || fail "init over an existing file: exit $status, expected 73"
grep -q "exists already" err.txt || fail "init over an existing file does not say it exists: $(cat err.txt)"
cmp -s mine.json before.json || fail "init over an existing file changed it"
"$binary" init mine.json >/dev/null 2>&1
[ $? = 73 ] || fail "init mine.json over mine.json did not fail with 73"

# --from by name, into a folder; the base is named relative to the new file
mkdir -p sub
"$binary" init sub/target --from linzhou-2023-target -q 2>err.txt || fail "init --from linzhou-2023-target failed: $(cat err.txt)"
grep -q '"extends": "linzhou-2023-target.json"' sub/target.json || fail "init --from does not extend the target"
cp "$root/scenarios/linzhou-2023-target.json" mytarget.json
"$binary" init sub/mine2 --from mytarget.json -q 2>err.txt || fail "init --from mytarget.json failed: $(cat err.txt)"
grep -q '"extends": "../mytarget.json"' sub/mine2.json || fail "a base in another folder is not named relative to the new file"
"$binary" check sub/mine2.json >/dev/null 2>&1 || fail "sub/mine2.json does not pass check"

# mistakes: an unknown county, a bad name, a missing base
"$binary" init c1 --county 长垣 >/dev/null 2>err.txt
[ $? = 64 ] || fail "init --county with an unknown place did not fail with 64"
grep -q "did you mean 长垣市" err.txt || fail "no 'did you mean 长垣市' for --county 长垣: $(cat err.txt)"
[ -e c1.json ] && fail "init --county with an unknown place wrote c1.json"
"$binary" init 'bad name' >/dev/null 2>&1
[ $? = 64 ] || fail "init with a name that is not a slug did not fail with 64"
"$binary" init c2 --from no-such-scenario >/dev/null 2>&1
[ $? = 66 ] || fail "init --from a missing scenario did not fail with 66"
[ -e c2.json ] && fail "init --from a missing scenario wrote c2.json"
ls -a | grep -q '^\.econsim-init-' && fail "init left a temporary file behind"

[ $failed = 0 ] && echo "init: the file passes check and run, examples hold the inherited values, never overwrites"
exit $failed
