# convergence.gp: "samples": "auto" of a Sobol' sweep, one output: each parameter's total-order
# index ST against the number of base rows N (doubling), with its bootstrap interval as a band,
# and the width the intervals had to get under.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_steps     N, then per parameter i: ST low high (3 columns each)
#   econsim_count      parameters
#   econsim_parameter_labels[]   their names
#   econsim_y_from, econsim_y_to, econsim_n_from, econsim_n_to

set title econsim_title noenhanced
set xlabel 'N (基础样本行数, 对数刻度)' noenhanced
set ylabel 'ST (总效应指数) 及其区间' noenhanced
set logscale x 2
set xrange [econsim_n_from / 1.4 : econsim_n_to * 1.4]
set yrange [econsim_y_from : econsim_y_to]
set format x '%.0f'
set format y '%g'
set lmargin 12
set key outside right top vertical noenhanced
set style fill transparent solid 0.15 noborder

plot for [i = 1:econsim_count] $econsim_steps using 1:(column(3 * i + 0)):(column(3 * i + 1)) \
         with filledcurves lc i notitle, \
     for [i = 1:econsim_count] $econsim_steps using 1:(column(3 * i - 1)) \
         with linespoints lc i lw 2 pt 7 ps 0.8 title econsim_parameter_labels[i]
