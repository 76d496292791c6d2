# sobol.gp: the Sobol' indices of one output of a sweep. For each parameter (the most
# influential at the top), the total index ST (the share of the output's variance in which the
# parameter takes part, alone or with others) and the first-order index S1 (its share alone),
# as bars with their bootstrap intervals. A parameter whose interval is wider than the sweep's
# threshold, or whose index is clearly negative, is marked in its label.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_indices   position ST ST_low ST_high S1 S1_low S1_high (position 1 = top)
#   econsim_parameter_labels[]   one label per row (econsim_parameter_labels_count)
#   econsim_x_from, econsim_x_to   the x range (includes 0 and every interval)
#   econsim_label_columns          the widest label, in character columns (the left margin)
#   econsim_interval_label         e.g. '95% 区间 (bootstrap 1000 次)'

key_total = '总效应指数 ST'
key_first = '一阶指数 S1'
bar_half_height = 0.17

set title econsim_title noenhanced
set xlabel '占输出方差的比例 (Sobol'' 指数)'
unset ylabel
set yrange [econsim_parameter_labels_count + 0.6 : 0.4]
set xrange [econsim_x_from : econsim_x_to]
set format x '%.1f'
set ytics 1 scale 0
set grid noytics xtics
set lmargin econsim_label_columns + 3
set style fill solid 0.85 border -1
set arrow 9100 from first 0, graph 0 to first 0, graph 1 nohead lc rgb '#333333' lw 1 back
# the interval note on a line of its own under the title
set tmargin 4.5
set title offset 0, 1.2
set label 9101 econsim_interval_label at graph 0.5, graph 1 offset 0, 1.2 center font ',9' \
    textcolor rgb '#333333' noenhanced front

plot $econsim_indices using (0):1:ytic(econsim_parameter_labels[int($0) + 1]) with points ps 0 lc rgb '#ffffff' notitle, \
     $econsim_indices using ($2 / 2):($1 - bar_half_height):(abs($2) / 2):(bar_half_height * 0.9) with boxxyerror \
         fs solid 0.85 border rgb style_blue lc rgb style_blue title key_total, \
     $econsim_indices using 2:($1 - bar_half_height):3:4 with xerrorbars lc rgb '#222222' pt 0 lw 1.2 notitle, \
     $econsim_indices using ($5 / 2):($1 + bar_half_height):(abs($5) / 2):(bar_half_height * 0.9) with boxxyerror \
         fs solid 0.85 border rgb style_orange lc rgb style_orange title key_first, \
     $econsim_indices using 5:($1 + bar_half_height):6:7 with xerrorbars lc rgb '#222222' pt 0 lw 1.2 notitle
