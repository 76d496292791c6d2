# hedgehog.gp: a back-test of one variable: the actuals (black; filled points observed,
# hollow points derived from an observed growth rate) and, branching off them, the projection
# each origin year would have made with the data of that year (dashed, one colour).
#
# Set by econsim (besides style.gp's variables):
#   $econsim_actual     year value observed(1/0)
#   $econsim_branches   year value, one block per origin, blank lines between them
#   econsim_actual_points, econsim_branch_points   rows in each
#   econsim_unit, econsim_year_from, _to, _step, _first_tic
#   econsim_y_from_zero (1 when no value is negative), econsim_y_at_least (largest value)

key_actual = '实际 (观测/推算)'
key_branch = '各起点的预测'

set title econsim_title noenhanced
unset xlabel
unset ylabel
set label 9102 '单位: ' . econsim_unit at graph 0, graph 1 offset -2, 1.3 left font ',10' textcolor rgb '#333333' noenhanced
set xrange [econsim_year_from - 0.5 : econsim_year_to + 0.5]
set xtics econsim_year_first_tic, econsim_year_step
if (econsim_y_from_zero) {
    set yrange [0 : (econsim_y_at_least * 1.08) < *]
} else {
    set yrange [*:*]
}
set offsets 0, 0, graph 0.04, 0

layers = ''
if (econsim_branch_points > 0) {
    layers = layers . ', $econsim_branches using 1:2 with linespoints lc rgb style_sky dt (6, 4) lw 1.5 pt 6 ps 0.7 title key_branch'
}
if (econsim_actual_points > 0) {
    layers = layers . ', $econsim_actual using 1:2 with lines lc rgb style_black lw 2.5 notitle'
    layers = layers . ', $econsim_actual using 1:($3 > 0 ? $2 : NaN) with points lc rgb style_black pt 7 ps 1.1 notitle'
    layers = layers . ', $econsim_actual using 1:($3 > 0 ? NaN : $2) with points lc rgb style_black pt 6 ps 1.3 notitle'
    layers = layers . ', keyentry with linespoints lc rgb style_black lw 2.5 pt 7 title key_actual'
}
eval 'plot ' . layers[3:]
