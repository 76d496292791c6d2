#!/usr/bin/python3
"""tests/report_check.py: real clients read what econsim wrote for people (issue 14).

  report_check.py html CHROMIUM SCREENSHOT PAGE.html:SUMMARY.json[:hostile] ...
      One headless Chromium (networking pointed at nothing) driven through the DevTools
      protocol over a pipe (--remote-debugging-pipe: file descriptors 3 and 4, no port, no
      library) loads each page in turn and asserts: no request but the page itself, no
      console message of level error and no exception, no script, image, frame, link or
      object element, every <svg> with a non-empty bounding box, and each goal's label and
      status (达成 / 未达成) of SUMMARY.json in the page's text. With :hostile, the scenario's
      title must show as text, verbatim. A PNG of the first page's first screen goes to
      SCREENSHOT.

  report_check.py workbook WORKBOOK.xlsx PROJECTION.csv [hostile-title]
      openpyxl (Debian python3-openpyxl) reads the workbook back: the sheet names and their
      order, every cell of 预测 equal to projection.csv within 1e-9 (and no value that the CSV
      lacks), the number formats (亿元 #,##0.00; rates 0.00%), frozen panes, three line charts,
      no formula anywhere, and with hostile-title the title in 说明 as a string.

  report_check.py blank PNG.ppm
      The image (binary PPM, as pdftoppm writes it) is not blank: at least 1% of its pixels are
      darker than near-white.
Exit status 0 when every check holds, else 1 with the failures listed.
"""
import csv
import json
import math
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import base64

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


# ------------------------------------------------------------------------------------------
# Chromium through the DevTools protocol on a pipe


class Chromium:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="econsim-report-check.")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [binary, "--headless", "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1200,1600", "about:blank"]
        if os.geteuid() == 0:
            args.insert(2, "--no-sandbox")

        def child_fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        env = dict(os.environ, HOME=self.profile)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds, pass_fds=(3, 4),
                                     env=env, start_new_session=True)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.wait_reply(self.next_id)

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed its pipe")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait_reply(self, wanted, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            message = self.read_message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(json.dumps(message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method, timeout=60):
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event["method"] == method:
                return self.events.pop(i)
        while True:
            message = self.read_message(deadline)
            if message.get("method") == method:
                return message
            if "method" in message:
                self.events.append(message)

    def close(self):
        try:
            os.killpg(self.proc.pid, 9)
        except ProcessLookupError:
            pass
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


PAGE_FACTS = """(() => {
  const boxes = Array.from(document.querySelectorAll('svg')).map(s => {
    const r = s.getBoundingClientRect(); return [r.width, r.height]; });
  const active = document.querySelectorAll('script, img, iframe, frame, object, embed, link, video, audio, source, image');
  return JSON.stringify({boxes: boxes, active: active.length, text: document.body.innerText,
                         title: document.title, handlers: document.querySelectorAll('[onerror],[onload]').length});
})()"""


def check_page(chrome, target_session, path, summary_path, hostile, screenshot):
    url = "file://" + os.path.abspath(path)
    chrome.events = []
    chrome.send("Page.navigate", {"url": url}, target_session)
    chrome.wait_event("Page.loadEventFired")
    time.sleep(0.3)  # late requests or messages, if any, arrive in this time
    facts = json.loads(chrome.send("Runtime.evaluate", {"expression": PAGE_FACTS, "returnByValue": True},
                                   target_session)["result"]["value"])
    # drain what arrived meanwhile
    try:
        while True:
            message = chrome.read_message(time.monotonic() + 0.2)
            if "method" in message:
                chrome.events.append(message)
    except TimeoutError:
        pass
    for event in chrome.events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent" and params["request"]["url"] != url:
            fail(f"{path}: the page asked for {params['request']['url']}")
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            fail(f"{path}: console error: {params}")
        if method == "Runtime.exceptionThrown":
            fail(f"{path}: exception: {params}")
        if method == "Log.entryAdded" and params["entry"].get("level") == "error":
            fail(f"{path}: log error: {params['entry'].get('text')}")
    if facts["active"] or facts["handlers"]:
        fail(f"{path}: {facts['active']} active elements and {facts['handlers']} event handlers in the page")
    if not facts["boxes"]:
        fail(f"{path}: no chart")
    for i, (w, h) in enumerate(facts["boxes"]):
        if not (w > 0 and h > 0):
            fail(f"{path}: <svg> number {i + 1} has an empty bounding box ({w} x {h})")
    text = facts["text"]
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    goals = summary.get("goals", {})
    goals = goals.get("goals", goals) if isinstance(goals, dict) else goals
    for goal in goals:
        label = goal["label"]
        status = "达成" if goal["met"] else "未达成"
        if f"目标「{label}」" not in text:
            fail(f"{path}: goal label {label!r} not in the page's text")
        elif f"目标「{label}」" not in text or status not in text.split(f"目标「{label}」", 1)[1].split("\n", 1)[0]:
            fail(f"{path}: goal {label!r}: status {status} not in its sentence")
    if hostile:
        title = summary["scenario"]["title"] if "scenario" in summary else None
        if title and title not in text:
            fail(f"{path}: the hostile title does not show as text")
        if facts["title"] != title:
            fail(f"{path}: document.title is {facts['title']!r}, not the scenario's title")
    if screenshot:
        shot = chrome.send("Page.captureScreenshot", {"format": "png"}, target_session)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    print(f"html ok: {path}: {len(facts['boxes'])} charts, {len(goals)} goals, no request, no console error")


def html_main(args):
    chromium, screenshot, pages = args[0], args[1], args[2:]
    chrome = Chromium(chromium)
    try:
        target = chrome.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chrome.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            chrome.send(domain + ".enable", {}, session)
        chrome.send("Emulation.setDeviceMetricsOverride",
                    {"width": 1000, "height": 1400, "deviceScaleFactor": 1, "mobile": False}, session)
        for i, spec in enumerate(pages):
            parts = spec.split(":")
            check_page(chrome, session, parts[0], parts[1], len(parts) > 2 and parts[2] == "hostile",
                       screenshot if i == 0 else None)
    finally:
        chrome.close()


# ------------------------------------------------------------------------------------------
# The workbook through openpyxl

def workbook_main(args):
    import openpyxl
    path, projection = args[0], args[1]
    hostile = args[2] if len(args) > 2 else None
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    expected_order = ["预测", "目标", "同类县市", "不确定性", "冲击排序（PAWN）", "敏感性", "情景发现", "假设", "说明"]
    if names[:2] != ["预测", "目标"] or names[-2:] != ["假设", "说明"] or \
            [n for n in expected_order if n in names] != names:
        fail(f"{path}: sheets {names}")
    ws = wb["预测"]
    header = [c.value for c in ws[1]]
    years = {col: int(v) for col, v in enumerate(header) if col >= 3 and v is not None}
    cells = {}
    units = {}
    for row in ws.iter_rows(min_row=2):
        name = row[0].value
        if not name or row[0].row > 200 or not isinstance(name, str) or " " in name or "：" in name:
            continue
        units[name] = row[2].value
        for col, year in years.items():
            cell = row[col]
            if cell.value is not None:
                cells[(name, year)] = cell
    expected = {}
    with open(projection, encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            expected[(record["variable"], int(record["year"]))] = float(record["value"])
    for key, value in expected.items():
        cell = cells.get(key)
        if cell is None or not isinstance(cell.value, (int, float)):
            fail(f"{path}: 预测 lacks {key}")
        elif not math.isclose(cell.value, value, rel_tol=1e-9, abs_tol=1e-9):
            fail(f"{path}: 预测 {key} = {cell.value}, projection.csv {value}")
    for key in cells:
        if key not in expected:
            fail(f"{path}: 预测 has {key}, which projection.csv does not")
    for (name, _), cell in cells.items():
        unit = units.get(name)
        want = "0.00%" if unit == "%" else "#,##0.00" if unit == "亿元" else None
        if want and cell.number_format != want:
            fail(f"{path}: 预测 {name} has format {cell.number_format!r}, not {want!r}")
    if ws.freeze_panes != "D2":
        fail(f"{path}: 预测 panes frozen at {ws.freeze_panes}")
    charts = len(ws._charts)
    if charts != 3:
        fail(f"{path}: 预测 has {charts} charts, not 3")
    for chart in ws._charts:
        if chart.tagname != "lineChart":
            fail(f"{path}: a {chart.tagname}, not a line chart")
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    fail(f"{path}: {sheet.title}!{cell.coordinate} is a formula: {cell.value!r}")
    if hostile is not None:
        about = {row[0].value: row[1] for row in wb["说明"].iter_rows(min_row=2) if row[0].value}
        title = about.get("标题")
        if title is None or title.data_type != "s" or title.value != hostile:
            fail(f"{path}: 说明 标题 is {title.value if title else None!r}, not the text of the title")
    print(f"workbook ok: {path}: sheets {names}, {len(expected)} values of projection.csv, {charts} charts")


def analyses_main(args):
    """The PAWN ranking and the discovery boxes of a risk run's workbook against pawn.csv and
    discovery.csv: every row, value for value (full precision), with the rates' formats."""
    import openpyxl
    path, pawn_csv, discovery_csv = args
    wb = openpyxl.load_workbook(path)
    for name in ("冲击排序（PAWN）", "情景发现"):
        if name not in wb.sheetnames:
            fail(f"{path}: no sheet {name} in {wb.sheetnames}")
            return
    shocks = {}
    for row in wb["冲击排序（PAWN）"].iter_rows(min_row=2, values_only=True):
        if isinstance(row[2], (int, float)):
            shocks[(row[0], int(row[2]))] = row
    with open(pawn_csv, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    for r in records:
        row = shocks.get((r["goal"], int(r["rank"])))
        if row is None or row[3] != r["input"] or row[1] != int(r["year"]):
            fail(f"{path}: 冲击排序 lacks {r['goal']} rank {r['rank']} ({r['input']}): {row}")
            continue
        for col, key in ((5, "pawn"), (6, "threshold")):
            if not math.isclose(row[col], float(r[key]), rel_tol=1e-12):
                fail(f"{path}: 冲击排序 {r['goal']} {r['input']} {key} {row[col]} != {r[key]}")
        if row[7] != ("是" if r["above_noise"] == "1" else "否（噪声）"):
            fail(f"{path}: 冲击排序 {r['goal']} {r['input']} above the noise: {row[7]!r}, pawn.csv {r['above_noise']}")
    if len(shocks) != len(records):
        fail(f"{path}: 冲击排序 has {len(shocks)} rows, pawn.csv {len(records)}")
    ws = wb["情景发现"]
    rows = [[c for c in row] for row in ws.iter_rows()]
    boxes = {int(r[0].value): r for r in rows[1:] if isinstance(r[0].value, int) and isinstance(r[1].value, float)}
    limits = {}
    for r in rows:
        if isinstance(r[0].value, int) and isinstance(r[1].value, str):
            limits[(int(r[0].value), r[1].value)] = r
    with open(discovery_csv, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    if not records:
        fail(f"{discovery_csv}: no box to compare")
    sides = {"lower": "下限", "upper": "上限", "both": "上下限"}
    for r in records:
        box, limit = boxes.get(int(r["box"])), limits.get((int(r["box"]), r["input"]))
        if box is None or limit is None:
            fail(f"{path}: 情景发现 lacks box {r['box']} or its input {r['input']}")
            continue
        for col, key in ((1, "coverage"), (2, "density"), (3, "mass")):
            if not math.isclose(box[col].value, float(r[key]), rel_tol=1e-12) or box[col].number_format != "0.00%":
                fail(f"{path}: 情景发现 box {r['box']} {key} {box[col].value} ({box[col].number_format})")
        if (box[4].value, box[5].value) != (int(r["points"]), int(r["misses"])):
            fail(f"{path}: 情景发现 box {r['box']} holds {box[4].value} runs, {box[5].value} misses")
        if not isinstance(box[6].value, str) or r["goal"] not in box[6].value:
            fail(f"{path}: 情景发现 box {r['box']} has no sentence naming {r['goal']}: {box[6].value!r}")
        for col, key in ((5, "lower"), (6, "upper"), (8, "qp_lower"), (9, "qp_upper")):
            want = float(r[key]) if r[key] else None
            got = limit[col].value
            if (want is None) != (got is None) or (want is not None and not math.isclose(got, want, rel_tol=1e-12)):
                fail(f"{path}: 情景发现 box {r['box']} {r['input']} {key} {got} != {r[key]!r}")
        if limit[7].value != sides[r["restricted"]]:
            fail(f"{path}: 情景发现 box {r['box']} {r['input']} restricted {limit[7].value!r}, not {r['restricted']}")
    print(f"workbook analyses ok: {path}: {len(shocks)} PAWN rows and {len(records)} box limits as in the CSV files")


def blank_main(args):
    with open(args[0], "rb") as f:
        data = f.read()
    # P6 header: magic, width, height, maxval, each followed by whitespace
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    pos += 1
    if fields[0] != b"P6":
        fail(f"{args[0]}: not a binary PPM")
        return
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos:pos + width * height * 3]
    dark = sum(1 for i in range(0, len(pixels), 3) if min(pixels[i], pixels[i + 1], pixels[i + 2]) < 200)
    share = dark / (width * height)
    if share < 0.01:
        fail(f"{args[0]}: page 1 is blank ({share:.4%} of its pixels are not white)")
    else:
        print(f"pdf ok: page 1 has ink on {share:.1%} of its pixels")


if __name__ == "__main__":
    {"html": html_main, "workbook": workbook_main, "analyses": analyses_main, "blank": blank_main}[sys.argv[1]](sys.argv[2:])
    sys.exit(1 if failures else 0)
