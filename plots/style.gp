# style.gp: the look every econsim chart shares. econsim copies this file into each chart's
# .gp script, after the chart's data and before the chart's template (trajectory.gp,
# compare.gp, goals.gp, peers.gp), so a script redraws its chart on its own.
#
#   Restyle every chart of later runs: edit this file (or a copy in a folder named by the
#   ECONSIM_PLOTS environment variable) and run econsim again; nothing is compiled.
#   Restyle one chart: edit the copy inside its .gp and run gnuplot on that file.
#
# Set by econsim before this file:
#   econsim_format     'png', 'svg' or 'pdf'
#   econsim_width      width and height in pixels; a PDF page is 72 pixels an inch
#   econsim_height
#   econsim_file       the image's file name, beside the .gp ('gdp.png')
#   econsim_output     only while econsim draws: the temporary name it renames at the end
#   econsim_scale      the scale of fonts, lines and character margins: 1 at 1000x600, in
#                      proportion to the size beyond (charts_scale in src/present/charts_build.c)
#   econsim_title      the title, wrapped by econsim over econsim_title_lines lines (1 or 2)
#   econsim_unit_label "单位: 亿元", when the chart has one: written above the y axis, in a line
#                      of its own between the title and the plot
#   econsim_footnote, econsim_footnote2 and, when econsim_footnote_lines is 3, econsim_footnote3:
#                      the footnote lines (text from input files among them)
# Text from files (titles, labels, place names) must stay in those variables and be used only
# as a title or label with `noenhanced`: never in a format, a macro (@) or an eval.

set encoding utf8

# Fonts: Noto Sans CJK SC (Debian: fonts-noto-cjk) draws Chinese and Latin text. Every font,
# line and character margin scales with the size (econsim_scale): a chart of 2000x1200 is the
# chart of 1000x600 drawn twice as large. The sizes are written out (not the terminals'
# fontscale, which the svg terminal leaves out of its character size, so its margins would not
# grow with the text): templates use the style_font_* sizes below for their labels.
# pngcairo and pdfcairo draw a point as 4/3 of a pixel (96 dpi), the svg terminal as one pixel:
# the svg sizes are raised by 4/3 so that an SVG lays out as the PNG of the same size does.
style_scale = exists('econsim_scale') ? econsim_scale : 1
style_scale = style_scale * (econsim_format eq 'svg' ? 4.0 / 3 : 1)
style_font = 'Noto Sans CJK SC'
style_font_size = 11 * style_scale
style_font_spec = sprintf('%s,%.2f', style_font, style_font_size)
style_font_title = sprintf(',%.2f', 15 * style_scale)     # the title
style_font_key = sprintf(',%.2f', 10 * style_scale)       # the key and the unit
style_font_label = sprintf(',%.2f', 9 * style_scale)      # labels on the plot
style_font_footnote = sprintf(',%.2f', 8 * style_scale)   # the footnotes

if (econsim_format eq 'svg') {
    set terminal svg size econsim_width, econsim_height dynamic font style_font_spec \
        linewidth (exists('econsim_scale') ? econsim_scale : 1) noenhanced background rgb '#ffffff'
} else {
    if (econsim_format eq 'pdf') {
        set terminal pdfcairo size (econsim_width / 72.0), (econsim_height / 72.0) font style_font_spec \
            noenhanced background rgb '#ffffff' linewidth (exists('econsim_scale') ? econsim_scale : 1)
    } else {
        set terminal pngcairo size econsim_width, econsim_height font style_font_spec \
            noenhanced background rgb '#ffffff' linewidth (exists('econsim_scale') ? econsim_scale : 1)
    }
}
set output (exists('econsim_output') ? econsim_output : econsim_file)

# Colours: the Okabe-Ito palette, told apart with any colour vision; blue is always the
# scenario (or the home county), vermillion marks goals and shortfalls.
style_blue      = '#0072B2'
style_orange    = '#E69F00'
style_green     = '#009E73'
style_purple    = '#CC79A7'
style_sky       = '#56B4E9'
style_vermilion = '#D55E00'
style_yellow    = '#F0E442'
style_black     = '#000000'
style_grey      = '#666666'

# linetypes 1-6: series in order (scenarios of a comparison, places of a peers chart)
set linetype 1 lc rgb style_blue   lw 2.5 pt 7 ps 1.1 dt solid
set linetype 2 lc rgb style_orange lw 2   pt 5 ps 1.0 dt solid
set linetype 3 lc rgb style_green  lw 2   pt 9 ps 1.2 dt solid
set linetype 4 lc rgb style_purple lw 2   pt 11 ps 1.2 dt solid
set linetype 5 lc rgb style_sky    lw 2   pt 13 ps 1.2 dt solid
set linetype 6 lc rgb style_black  lw 2   pt 3 ps 1.0 dt solid
set linetype cycle 6

# named line styles that the templates use
style_history    = 101  # data: solid
style_projection = 102  # model projection: dashed
style_goal       = 103  # goal markers
style_reference  = 104  # reference lines ("166" and other later targets)
style_met        = 105  # goals met
style_unmet      = 106  # goals not met
set style line 101 lc rgb style_blue lw 2.5 dt solid pt 7 ps 1.1
set style line 102 lc rgb style_blue lw 2.5 dt (7, 5)
set style line 103 lc rgb style_vermilion lw 2 pt 9 ps 2.0
set style line 104 lc rgb style_vermilion lw 1.5 dt (3, 4)
set style line 105 lc rgb style_green lw 1
set style line 106 lc rgb style_vermilion lw 1
# the dash of projections in multi-series charts
style_projection_dash = '(7, 5)'

# Frame, grid, tics: a light grid behind the data, whole years on the x axis.
set border 3 lw 1 lc rgb style_grey
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set grid ytics lw 1 lc rgb '#e3e3e3' dt solid
set grid xtics lw 1 lc rgb '#f0f0f0' dt solid
set grid back
set format x '%.0f'
set mxtics 1
set xtics nomirror
set ytics nomirror

# Titles and the key: the key sits under the x axis, outside the plot, so it never hides data.
# The top margin holds the title (one or two lines of 15 points) and, below it, a line of its
# own for the unit, so the two never meet.
style_title_lines = exists('econsim_title_lines') ? econsim_title_lines : 1
style_tmargin = 1.45 * style_title_lines + 1.9
set title econsim_title font style_font_title textcolor rgb '#111111' noenhanced
set tmargin style_tmargin
if (exists('econsim_unit_label')) {
    set label 9102 econsim_unit_label at graph 0, graph 1 offset 0, 0.75 left font style_font_key textcolor rgb '#333333' \
        noenhanced
}

# Footnotes: two lines, or three when the note wraps (econsim_footnote_lines); the key and the
# bottom margin move up by the third line.
# The key takes econsim_key_rows rows of at most econsim_key_columns entries, when econsim knows
# its entries (charts_write_key); each row beyond the first raises the plot.
style_footnote_extra = exists('econsim_footnote_lines') ? (econsim_footnote_lines > 2 ? 1.0 : 0) : 0
style_key_extra = exists('econsim_key_rows') ? 1.05 * (econsim_key_rows - 1) : 0
set key at screen 0.5, character (3.3 + style_footnote_extra) center bottom horizontal noenhanced samplen 2.5 \
    spacing 1.1 width 1 font style_font_key
if (exists('econsim_key_columns')) {
    set key maxcols econsim_key_columns
}
set key textcolor rgb '#333333' nobox

# Labels marked `boxed` get a white background, so a line behind them does not cross the text.
set style textbox opaque fillcolor rgb '#ffffff' noborder margins 0.5, 0.3

# Margins: room at the bottom for the x axis, the key and the footnote lines.
style_bmargin = 7.4 + style_footnote_extra + style_key_extra
set bmargin style_bmargin
set rmargin 4

# The footnote: scenario and model, then what the chart shows and the data sources (small,
# grey, at the bottom left).
set label 9001 econsim_footnote at screen 0.01, character (2.1 + 0.95 * style_footnote_extra) left font style_font_footnote \
    textcolor rgb '#666666' noenhanced front
set label 9002 econsim_footnote2 at screen 0.01, character (0.9 + 1.05 * style_footnote_extra) left font style_font_footnote \
    textcolor rgb '#666666' noenhanced front
if (style_footnote_extra > 0 && exists('econsim_footnote3')) {
    set label 9003 econsim_footnote3 at screen 0.01, character 0.9 left font style_font_footnote \
        textcolor rgb '#666666' noenhanced front
}

# Goal labels against their markers, inside the plot (trajectory, compare and fan charts),
# after a dry run into a table (GPVAL_* then hold the ranges): a label goes right of its marker
# when it fits there, else left of it, else it is centred where it fits, further from the
# marker, with a leader line to it; above the marker unless that is in the top fifth. Goals
# with a reference line (econsim_goal_is_reference) are labelled on the line instead. The
# width of a label is estimated from econsim_goal_label_columns (display columns, 0.55 em
# each) and the plot's width from the canvas. Program text run with eval (statements joined by
# ';': eval reads one line): the labels are referred to by name.
style_label_px = 9 * style_scale * (econsim_format eq 'svg' ? 1 : 4.0 / 3)
style_goal_labels = "if (exists('econsim_goal_labels_count') && econsim_goal_labels_count > 0) { " . \
    "do for [i = 1:econsim_goal_labels_count] { " . \
    "if (!exists('econsim_goal_is_reference') || !econsim_goal_is_reference[i]) { " . \
    "style_gx = (econsim_goal_years[i] - GPVAL_X_MIN) / (GPVAL_X_MAX - GPVAL_X_MIN); " . \
    "style_gy = (econsim_goal_levels[i] - GPVAL_Y_MIN) / (GPVAL_Y_MAX - GPVAL_Y_MIN); " . \
    "style_gw = (econsim_goal_label_columns[i] * 0.55 * style_label_px + 12) / (econsim_width * 0.85); " . \
    "style_dy = style_gy > 0.8 ? -1.2 : 1.0; " . \
    "if (style_gx + style_gw < 0.98) { " . \
    "set label (9400 + i) econsim_goal_labels[i] at econsim_goal_years[i], econsim_goal_levels[i] left " . \
    "offset 1.0, style_dy font style_font_label textcolor rgb style_vermilion noenhanced front boxed " . \
    "} else { if (style_gx - style_gw > 0.02) { " . \
    "set label (9400 + i) econsim_goal_labels[i] at econsim_goal_years[i], econsim_goal_levels[i] right " . \
    "offset -1.0, style_dy font style_font_label textcolor rgb style_vermilion noenhanced front boxed " . \
    "} else { " . \
    "style_cx = style_gx < style_gw / 2 + 0.01 ? style_gw / 2 + 0.01 : (style_gx > 0.99 - style_gw / 2 ? 0.99 - style_gw / 2 : style_gx); " . \
    "style_cy = style_gy > 0.8 ? style_gy - 0.14 : style_gy + 0.14; " . \
    "set label (9400 + i) econsim_goal_labels[i] at graph style_cx, graph style_cy center " . \
    "font style_font_label textcolor rgb style_vermilion noenhanced front boxed; " . \
    "set arrow (9450 + i) from graph style_cx, graph (style_gy > 0.8 ? style_cy + 0.03 : style_cy - 0.03) " . \
    "to first econsim_goal_years[i], first econsim_goal_levels[i] nohead lc rgb style_vermilion lw 1 front " . \
    "} } } } }"

# Y tics no closer than about two lines of tic labels: after the dry run, a step of 1, 2 or 5
# times a power of ten that leaves at most one tic per 2.4 label heights of the plot's height
# (estimated as 60% of the canvas).
style_y_tics = "style_range = GPVAL_Y_MAX - GPVAL_Y_MIN; " . \
    "style_most = floor(econsim_height * 0.6 / (2.4 * style_font_size * (econsim_format eq 'svg' ? 1 : 4.0 / 3))); " . \
    "if (style_range > 0 && style_most >= 2) { " . \
    "style_raw = style_range / style_most; style_power = 10 ** floor(log10(style_raw)); " . \
    "style_step = style_raw <= style_power ? style_power : (style_raw <= 2 * style_power ? 2 * style_power : " . \
    "(style_raw <= 5 * style_power ? 5 * style_power : 10 * style_power)); " . \
    "set ytics style_step }"
