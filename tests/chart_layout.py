#!/usr/bin/python3
"""tests/chart_layout.py: checks that the texts of gnuplot's SVG charts fit (issue 15, item 5).

    /usr/bin/python3 tests/chart_layout.py [--xfail FILE] [--list] SVG...

For every <text> element of each SVG, a box is estimated from its position (gnuplot writes
each text as <g transform="translate(x,y) [rotate(a)]" font-size=".." text-anchor=".."><text>),
its font size F and its display width:
  - width: 1.0 F for each East Asian wide or full-width character (CJK: two terminal columns,
    about an em in Noto Sans CJK) and 0.55 F for any other character (Latin, digits, spaces);
  - height: the baseline is gnuplot's y; the box runs from 0.80 F above it to 0.20 F below
    (Noto Sans CJK: ascender 0.88, descender 0.12; 0.80 + 0.20 keeps the box one em high);
  - the anchor (start, middle, end) places it horizontally; a rotation turns it about (x, y).
A chart fails when a box crosses the canvas edge (the viewBox) by more than TOLERANCE pixels,
or when two boxes overlap by more than TOLERANCE pixels in both directions. TOLERANCE is
1.5 pixels: the estimate is not a font's metrics, and a neighbouring tic label that touches
another by a pixel is not a defect a reader sees.

--xfail FILE names charts expected to fail, one shell pattern a line matched against the
path ('#' starts a comment): they are reported as XFAIL and do not fail the run (an XFAIL
that passes is reported as XPASS, also without failing). Exit status: 0 when every chart
not expected to fail passes, 1 otherwise, 2 for a file that cannot be read.
"""
import fnmatch
import math
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

TOLERANCE = 1.5
WIDE_EM = 1.0
NARROW_EM = 0.55
ASCENT_EM = 0.80
DESCENT_EM = 0.20
SVG_NS = '{http://www.w3.org/2000/svg}'


def text_width(text, size):
    """Estimated width in pixels of text at font size `size`."""
    em = 0.0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        em += WIDE_EM if unicodedata.east_asian_width(ch) in ('W', 'F') else NARROW_EM
    return em * size


def parse_transform(transform):
    """(x, y, angle in degrees) of "translate(x,y) rotate(a)"; None when there is no translate."""
    m = re.search(r'translate\(\s*([-0-9.e]+)\s*,\s*([-0-9.e]+)\s*\)', transform or '')
    if not m:
        return None
    r = re.search(r'rotate\(\s*([-0-9.e]+)', transform)
    return float(m.group(1)), float(m.group(2)), float(r.group(1)) if r else 0.0


def text_boxes(path):
    """Canvas (width, height) and the list of (text, x0, y0, x1, y1) of an SVG file."""
    tree = ET.parse(path)
    root = tree.getroot()
    view = root.get('viewBox')
    if view:
        _, _, width, height = (float(v) for v in view.split())
    else:
        width = float(re.sub('[a-z]+', '', root.get('width')))
        height = float(re.sub('[a-z]+', '', root.get('height')))
    boxes = []

    def walk(node, inherited):
        attrs = dict(inherited)
        for key in ('font-size', 'text-anchor', 'transform'):
            if node.get(key) is not None:
                attrs[key] = node.get(key)
        if node.tag == SVG_NS + 'text':
            content = ''.join(node.itertext())
            if content.strip():
                boxes.append(box_of(content, attrs, node))
            return
        # a transform applies to this group's children only
        for child in node:
            walk(child, attrs)

    def box_of(content, attrs, node):
        size = float(re.sub('[a-z]+', '', attrs.get('font-size', '12')))
        place = parse_transform(attrs.get('transform'))
        x, y, angle = place if place else (float(node.get('x', 0)), float(node.get('y', 0)), 0.0)
        w = text_width(content, size)
        anchor = attrs.get('text-anchor', 'start')
        left = -w if anchor == 'end' else -w / 2 if anchor == 'middle' else 0.0
        corners = [(left, -ASCENT_EM * size), (left + w, -ASCENT_EM * size), (left, DESCENT_EM * size),
                   (left + w, DESCENT_EM * size)]
        a = math.radians(angle)
        xs = [x + cx * math.cos(a) - cy * math.sin(a) for cx, cy in corners]
        ys = [y + cx * math.sin(a) + cy * math.cos(a) for cx, cy in corners]
        return content, min(xs), min(ys), max(xs), max(ys)

    walk(root, {})
    # a `boxed` label is written twice at the same place (its background, then the text): once
    unique = []
    for b in boxes:
        if b not in unique:
            unique.append(b)
    return width, height, unique


def problems_of(path):
    width, height, boxes = text_boxes(path)
    found = []
    for text, x0, y0, x1, y1 in boxes:
        if x0 < -TOLERANCE or y0 < -TOLERANCE or x1 > width + TOLERANCE or y1 > height + TOLERANCE:
            found.append('crosses the edge of the %gx%g canvas: "%s" [%.1f,%.1f .. %.1f,%.1f]'
                         % (width, height, text, x0, y0, x1, y1))
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            dx = min(a[3], b[3]) - max(a[1], b[1])
            dy = min(a[4], b[4]) - max(a[2], b[2])
            if dx > TOLERANCE and dy > TOLERANCE:
                found.append('"%s" overlaps "%s" by %.1fx%.1f px' % (a[0], b[0], dx, dy))
    return found, len(boxes)


def main(argv):
    xfail = []
    files = []
    listing = False
    i = 0
    while i < len(argv):
        if argv[i] == '--xfail':
            with open(argv[i + 1], encoding='utf-8') as f:
                for line in f:
                    line = line.split('#', 1)[0].strip()
                    if line:
                        xfail.append(line)
            i += 2
        elif argv[i] == '--list':
            listing = True
            i += 1
        else:
            files.append(argv[i])
            i += 1
    failed = passed = xfailed = 0
    for path in files:
        try:
            found, count = problems_of(path)
        except (OSError, ET.ParseError) as e:
            print('ERROR %s: %s' % (path, e))
            return 2
        expected = any(fnmatch.fnmatch(path, p) for p in xfail)
        if found:
            print('%s %s: %d text(s), %d problem(s)' % ('XFAIL' if expected else 'FAIL', path, count, len(found)))
            for p in found:
                print('    ' + p)
            if expected:
                xfailed += 1
            else:
                failed += 1
        else:
            passed += 1
            if expected:
                print('XPASS %s' % path)
            elif listing:
                print('ok %s: %d text(s)' % (path, count))
    print('chart layout: %d chart(s) pass, %d fail, %d expected to fail' % (passed, failed, xfailed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
