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
#   econsim_title, econsim_footnote, econsim_footnote2, ... : text from input files
# Text from files (titles, labels, place names) must stay in those variables and be used only
# as a title or label with `noenhanced`: never in a format, a macro (@) or an eval.

set encoding utf8

# Fonts: Noto Sans CJK SC (Debian: fonts-noto-cjk) draws Chinese and Latin text.
style_font = 'Noto Sans CJK SC'
style_font_size = 11
style_font_spec = sprintf('%s,%d', style_font, style_font_size)

if (econsim_format eq 'svg') {
    set terminal svg size econsim_width, econsim_height dynamic font style_font_spec \
        noenhanced background rgb '#ffffff'
} else {
    if (econsim_format eq 'pdf') {
        set terminal pdfcairo size (econsim_width / 72.0), (econsim_height / 72.0) font style_font_spec \
            noenhanced background rgb '#ffffff' linewidth 1
    } else {
        set terminal pngcairo size econsim_width, econsim_height font style_font_spec \
            noenhanced background rgb '#ffffff' linewidth 1
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
set title font ',15' textcolor rgb '#111111' offset 0, -0.3
set key at screen 0.5, character 3.3 center bottom horizontal noenhanced samplen 2.5 spacing 1.1 width 1 font ',10'
set key textcolor rgb '#333333' nobox

# Labels marked `boxed` get a white background, so a line behind them does not cross the text.
set style textbox opaque fillcolor rgb '#ffffff' noborder margins 0.5, 0.3

# Margins: room at the bottom for the x axis, the key and the two footnote lines.
set bmargin 7.4
set rmargin 4

# The footnote: scenario and model, then data sources (small, grey, at the bottom left).
set label 9001 econsim_footnote at screen 0.01, character 2.1 left font ',8' \
    textcolor rgb '#666666' noenhanced front
set label 9002 econsim_footnote2 at screen 0.01, character 0.9 left font ',8' \
    textcolor rgb '#666666' noenhanced front
