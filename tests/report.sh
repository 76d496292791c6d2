#!/usr/bin/env bash
# tests/report.sh: report.html, report.pdf and workbook.xlsx read by the real clients
# (issue 14); part of `make check`.
#
#   bash tests/report.sh BINARY
#
# Runs in Chinese (--lang zh, as `make run` does), with SOURCE_DATE_EPOCH fixed: the risk
# scenario (goals, peers, an ensemble) with --pdf; a hostile scenario (a title that is a formula, a script and an <img onerror>, goal
# labels and notes with markup and formula starts); a Sobol' sweep; and two scenarios side by
# side. Then:
#   - HTML: one headless Chromium loads every report.html (tests/report_check.py html): no
#     request, no console error, no active element, every <svg> drawn, each goal's label and
#     status in the text; build/report-first-screen.png is the first screen for people to see;
#   - workbook: openpyxl reads each workbook.xlsx back (report_check.py workbook): 预测 equals
#     projection.csv to 1e-9, sheet names, number formats, three line charts, no formula;
#     the same run twice gives the same workbook bytes; a risk run's 冲击排序（PAWN）and 情景发现
#     sheets hold its pawn.csv and discovery.csv, value for value (report_check.py analyses);
#   - LibreOffice (headless) converts the risk workbook to PDF without error (skipped, with a
#     message, only where LibreOffice is not installed);
#   - PDF: pdftoppm renders page 1 of report.pdf, which is not blank; its dates are
#     SOURCE_DATE_EPOCH's; build/report-page1.png is kept;
#   - without Chromium on PATH, --pdf writes the HTML, no PDF, and one warning saying so;
#   - in English (the tests' locale, no --lang): the report's headings and sentences and the
#     workbook's sheet names are English, and the HTML says lang="en".
set -u
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
build=$(dirname "$binary")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000
failed=0
check() { # check DESCRIPTION COMMAND...: runs it; a failure is reported and counted
    local what=$1
    shift
    if ! "$@"; then
        echo "report: FAILED: $what"
        failed=1
    fi
}
py=/usr/bin/python3
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chromium" ] || ! $py -c 'import openpyxl' 2>/dev/null || ! command -v pdftoppm >/dev/null; then
    echo "report: chromium, python3-openpyxl and poppler-utils are needed (make deps installs them)"
    exit 1
fi

run() { # run NAME ARGS...: econsim ARGS, output and status kept in $tmp/NAME.*
    local name=$1
    shift
    "$binary" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.status"
}
# the risk run from another folder, with -o relative: Chromium gets absolute paths
(cd "$tmp" && "$binary" run --lang zh "$root/scenarios/linzhou-2023-risk.json" --paths 500 --threads 2 -o risk --pdf \
    >"$tmp/risk.out" 2>"$tmp/risk.err"; echo $? >"$tmp/risk.status")
run hostile run --lang zh tests/data/report/hostile.json --paths 200 --threads 2 -o "$tmp/hostile"
run sweep sweep --lang zh scenarios/linzhou-sensitivity.json --samples 256 --threads 2 -o "$tmp/sweep"
run backtest backtest --lang zh scenarios/linzhou-baseline.json --threads 2 -o "$tmp/backtest"
run two run --lang zh scenarios/linzhou-baseline.json scenarios/linzhou-2023-target.json --threads 2 -o "$tmp/two"
run again run --lang zh tests/data/report/hostile.json --paths 200 --threads 1 -o "$tmp/again" --no-charts
run again2 run --lang zh tests/data/report/hostile.json --paths 200 --threads 2 -o "$tmp/again2" --no-charts
run english run scenarios/linzhou-2023-target.json scenarios/linzhou-baseline.json --threads 2 -o "$tmp/english" --no-charts
run analyses run --lang zh tests/data/discover/risk.json --threads 2 -o "$tmp/analyses" --no-charts
for name in risk hostile sweep backtest two again again2 english analyses; do
    check "$name exits 0 ($(cat "$tmp/$name.err"))" [ "$(cat "$tmp/$name.status")" = 0 ]
done
for f in risk/report.html risk/report.pdf risk/workbook.xlsx hostile/report.html hostile/workbook.xlsx \
         sweep/report.html sweep/workbook.xlsx two/comparison/report.html two/comparison/workbook.xlsx \
         two/linzhou-baseline/report.html; do
    check "$f written" [ -s "$tmp/$f" ]
done
check "no chart copy for the report left in charts/" [ -z "$(ls "$tmp"/risk/charts | grep -e copy)" ]
check "the side-by-side table on stdout" grep -q "并列比较" "$tmp/two.out"

# HTML, in one Chromium
check "report.html in Chromium" $py tests/report_check.py html "$chromium" "$build/report-first-screen.png" \
    "$tmp/risk/report.html:$tmp/risk/summary.json" "$tmp/hostile/report.html:$tmp/hostile/summary.json:hostile" \
    "$tmp/sweep/report.html:$tmp/sweep/summary.json" \
    "$tmp/backtest/report.html:$tmp/backtest/summary.json" \
    "$tmp/two/comparison/report.html:$tmp/two/comparison/summary.json"
check "the back-test's report has its section" grep -q '<h2>回测</h2>' "$tmp/backtest/report.html"
check "the back-test's workbook opens" $py -c '
import openpyxl, sys
sys.exit(0 if openpyxl.load_workbook(sys.argv[1]).sheetnames[:2] == ["预测", "目标"] else 1)' "$tmp/backtest/workbook.xlsx"
check "the combined report holds the side-by-side table" grep -q '情景对比' "$tmp/two/comparison/report.html"
check "the combined report states the goals of both scenarios (10 each)" \
    [ "$(grep -o '<li>目标「' "$tmp/two/comparison/report.html" | wc -l)" = 20 ]

check "the Chinese report says lang=zh-CN" grep -q '<html lang="zh-CN">' "$tmp/risk/report.html"

# English: the same pages and workbooks in the tests' locale
english="$tmp/english/linzhou-2023-target"
check "the English report says lang=en" grep -q '<html lang="en">' "$english/report.html"
for heading in Summary Projection 'Peer counties' 'Assumptions and sources' 'Model equations'; do
    check "the English report has the heading $heading" grep -q "<h2>$heading</h2>" "$english/report.html"
done
check "the English report states each goal in English" grep -q '<li>Goal “' "$english/report.html"
check "the English report has no Chinese heading" bash -c "! grep -q -e '<h2>摘要' -e '<h2>预测' '$english/report.html'"
check "the English comparison report" grep -q '<h2>Scenario comparison</h2>' "$tmp/english/comparison/report.html"
check "the English side-by-side table on stdout" grep -q "side by side" "$tmp/english.out"
check "the English workbook's sheets" $py -c '
import openpyxl, sys
names = openpyxl.load_workbook(sys.argv[1]).sheetnames
sys.exit(0 if names[:2] == ["Projection", "Goals"] and names[-2:] == ["Assumptions", "About"] else 1)' \
    "$english/workbook.xlsx"
check "the English workbook's headings" $py -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Goals"]
sys.exit(0 if [c.value for c in ws[1]][:4] == ["ID", "Goal", "Variable", "Year"] else 1)' "$english/workbook.xlsx"

# the workbooks
check "risk workbook" $py tests/report_check.py workbook "$tmp/risk/workbook.xlsx" "$tmp/risk/projection.csv"
check "the PAWN and discovery sheets hold pawn.csv and discovery.csv" \
    $py tests/report_check.py analyses "$tmp/analyses/workbook.xlsx" "$tmp/analyses/pawn.csv" "$tmp/analyses/discovery.csv"
title=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["scenario"]["title"])' "$tmp/hostile/summary.json")
check "hostile workbook" $py tests/report_check.py workbook "$tmp/hostile/workbook.xlsx" \
    "$tmp/hostile/projection.csv" "$title"
check "the same run gives the same workbook and report, whatever the threads" \
    cmp "$tmp/again/workbook.xlsx" "$tmp/again2/workbook.xlsx"
check "the same report.html" cmp "$tmp/again/report.html" "$tmp/again2/report.html"
check "the sweep's workbook has 敏感性" $py -c '
import openpyxl, sys
sys.exit(0 if "敏感性" in openpyxl.load_workbook(sys.argv[1]).sheetnames else 1)' "$tmp/sweep/workbook.xlsx"

# LibreOffice opens the workbook
if command -v libreoffice >/dev/null 2>&1; then
    mkdir -p "$tmp/lo"
    if HOME="$tmp/lo" timeout 180 libreoffice --headless --norestore --convert-to pdf --outdir "$tmp/lo" \
        "$tmp/risk/workbook.xlsx" >"$tmp/lo.out" 2>&1 && [ -s "$tmp/lo/workbook.pdf" ]; then
        echo "libreoffice ok: workbook.xlsx converted to PDF ($(wc -c <"$tmp/lo/workbook.pdf") bytes)"
    else
        echo "report: FAILED: LibreOffice could not open workbook.xlsx:"
        cat "$tmp/lo.out"
        failed=1
    fi
else
    echo "report: SKIPPED: LibreOffice is not installed here (Debian: libreoffice-calc-nogui); the workbook was not opened by it"
fi

# the PDF
pdftoppm -r 60 -f 1 -l 1 "$tmp/risk/report.pdf" "$tmp/page" && check "report.pdf page 1 not blank" \
    $py tests/report_check.py blank "$(ls "$tmp"/page*.ppm | head -1)"
pdftoppm -r 60 -f 1 -l 1 -singlefile -png "$tmp/risk/report.pdf" "$build/report-page1"
check "report.pdf dated by SOURCE_DATE_EPOCH" grep -a -q "/CreationDate (D:20231114221320" "$tmp/risk/report.pdf"

# no Chromium: the HTML, no PDF, one warning
mkdir -p "$tmp/bin"
ln -s "$(command -v gnuplot)" "$tmp/bin/gnuplot"
PATH="$tmp/bin" "$binary" run scenarios/linzhou-2023-target.json -o "$tmp/nochromium" --pdf --no-charts \
    >/dev/null 2>"$tmp/nochromium.err"
check "without Chromium: exit 0" [ $? = 0 ]
check "without Chromium: report.html" [ -s "$tmp/nochromium/report.html" ]
check "without Chromium: no report.pdf" [ ! -e "$tmp/nochromium/report.pdf" ]
check "without Chromium: one note" [ "$(grep -c 'report.pdf: skipped: Chromium is not installed' "$tmp/nochromium.err")" = 1 ]
check "--no-report writes neither" bash -c "'$binary' run scenarios/linzhou-baseline.json -o '$tmp/none' --no-report --no-charts -q &&
    [ ! -e '$tmp/none/report.html' ] && [ ! -e '$tmp/none/workbook.xlsx' ] && [ -s '$tmp/none/projection.csv' ]"

# a Chromium that hangs, with a child in its process group: the time limit kills the whole
# group, the HTML stays, the PDF is skipped with a warning; then Ctrl-C while it hangs: exit 130,
# nothing committed, no process left
gone() { # gone PID: no such process, or only a zombie waiting to be reaped
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null)
    [ -z "$state" ] || [ "${state#Z}" != "$state" ]
}
group_gone() { gone "$(cat "$tmp/hang/leader")" && gone "$(cat "$tmp/hang/child")"; }
mkdir -p "$tmp/hang"
ln -s "$(command -v gnuplot)" "$tmp/hang/gnuplot"
printf '#!/bin/sh\necho $$ >"%s/hang/leader"\n/bin/sleep 300 &\necho $! >"%s/hang/child"\n/bin/sleep 300\n' \
    "$tmp" "$tmp" >"$tmp/hang/chromium"
chmod +x "$tmp/hang/chromium"
ECONSIM_CHROMIUM_TIMEOUT=2 PATH="$tmp/hang" "$binary" run scenarios/linzhou-2023-target.json -o "$tmp/hung" \
    --pdf --no-charts >/dev/null 2>"$tmp/hung.err"
check "Chromium past its time limit: exit 0" [ $? = 0 ]
check "Chromium past its time limit: a warning" grep -q "Chromium took longer than 2 seconds" "$tmp/hung.err"
check "Chromium past its time limit: report.html" [ -s "$tmp/hung/report.html" ]
check "Chromium past its time limit: no report.pdf" [ ! -e "$tmp/hung/report.pdf" ]
check "Chromium past its time limit: no profile folder" [ ! -e "$tmp/hung/.chromium-profile" ]
check "Chromium past its time limit: its whole group is gone" group_gone
rm -f "$tmp/hang/leader" "$tmp/hang/child"
ECONSIM_CHROMIUM_TIMEOUT=120 PATH="$tmp/hang" "$binary" run scenarios/linzhou-2023-target.json -o "$tmp/stopped" \
    --pdf --no-charts >/dev/null 2>&1 &
econsim_pid=$!
for _ in $(seq 300); do [ -s "$tmp/hang/child" ] && break; sleep 0.1; done
kill -INT $econsim_pid
wait $econsim_pid
check "Ctrl-C while Chromium prints: exit 130" [ $? = 130 ]
check "Ctrl-C while Chromium prints: nothing committed" [ ! -e "$tmp/stopped" ]
check "Ctrl-C while Chromium prints: no staging folder left" [ -z "$(ls -A "$tmp" | grep -e stage)" ]
check "Ctrl-C while Chromium prints: its whole group is gone" group_gone

if [ $failed = 0 ]; then
    echo "report: report.html, report.pdf and workbook.xlsx pass (screenshots: $build/report-first-screen.png, $build/report-page1.png)"
fi
exit $failed
