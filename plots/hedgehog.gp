# hedgehog.gp: a back-test of one variable: the actuals (black; filled points observed,
# hollow points derived from an observed growth rate) and, branching off them, the projection
# each origin year would have made with the data of that year (dashed, one colour).
#
# Set by econsim (besides style.gp's variables):
#   $econsim_actual     year value observed(1/0)
#   $econsim_branches   year value, one block per origin, blank lines between them
#   econsim_actual_points, econsim_branch_points   rows in each
#   econsim_unit_label ('Unit: 亿元'), econsim_key_actual, econsim_key_branch
#   econsim_year_from, _to, _step, _first_tic
#   econsim_y_from_zero (1 when no value is negative), econsim_y_at_least (largest value)
#   econsim_title_lines, econsim_footnote_lines   lines of the (wrapped) title and footnote

# -- layout (the same in every sweep and discovery template) -----------------------------
# Text grows with the canvas: style.gp's style_scale (econsim_scale, charts_scale in
# src/present/charts_build.c) scales every font and line below; econsim wraps the title and the
# footnotes to the canvas (econsim_title_lines, econsim_footnote_lines) at these sizes.
sweep_font(points) = sprintf(',%g', points * style_scale)
sweep_key_font = sweep_font(10)
# the title, centred on the canvas (not on the plot, whose left margin holds long labels)
unset title
set label 9000 econsim_title at screen 0.5, screen 1 offset 0, -1.5 center font sweep_font(15) \
    textcolor rgb '#111111' noenhanced front
sweep_top = 1.6 + 1.65 * econsim_title_lines
set tmargin sweep_top
# the footnote lines at the bottom left, the key above them, then the x axis
sweep_foot = 0.9 + 0.9 * (econsim_footnote_lines - 1)
set label 9001 econsim_footnote at screen 0.01, character sweep_foot left font sweep_font(8) \
    textcolor rgb '#666666' noenhanced front
unset label 9002
set key at screen 0.5, character (sweep_foot + 1.2) center bottom maxrows 1 font sweep_key_font
set bmargin sweep_foot + 5.6
set xlabel offset 0, 0.2
# -- end of layout -----------------------------------------------------------------------

unset xlabel
unset ylabel
set label 9102 econsim_unit_label at graph 0, graph 1 offset -2, 1.3 left font sweep_font(10) \
    textcolor rgb '#333333' noenhanced
set xrange [econsim_year_from - 0.5 : econsim_year_to + 0.5]
set xtics econsim_year_first_tic, econsim_year_step
if (econsim_y_from_zero) {
    set yrange [0 : (econsim_y_at_least * 1.08) < *]
} else {
    set yrange [*:*]
}
set offsets 0, 0, graph 0.04, 0
set bmargin sweep_foot + 4.0
set tmargin sweep_top + 1.0

layers = ''
if (econsim_branch_points > 0) {
    layers = layers . ', $econsim_branches using 1:2 with linespoints lc rgb style_sky dt (6, 4) lw 1.5 pt 6 ps 0.7 title econsim_key_branch'
}
if (econsim_actual_points > 0) {
    layers = layers . ', $econsim_actual using 1:2 with lines lc rgb style_black lw 2.5 notitle'
    layers = layers . ', $econsim_actual using 1:($3 > 0 ? $2 : NaN) with points lc rgb style_black pt 7 ps 1.1 notitle'
    layers = layers . ', $econsim_actual using 1:($3 > 0 ? NaN : $2) with points lc rgb style_black pt 6 ps 1.3 notitle'
    layers = layers . ', keyentry with linespoints lc rgb style_black lw 2.5 pt 7 title econsim_key_actual'
}
eval 'plot ' . layers[3:]
