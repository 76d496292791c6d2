# morris.gp: the Morris screening of one output: each parameter as a point at (mu*, sigma), the
# mean absolute elementary effect and the spread of the effects, both in the output's unit
# per the parameter's whole range, with the bootstrap interval of mu*. Far right: important;
# high up: nonlinear or interacting (above the dashed line sigma = mu*).
#
# Set by econsim (besides style.gp's variables):
#   $econsim_points    mu_star sigma mu_star_low mu_star_high (one row per parameter)
#   econsim_parameter_labels[]   the parameters' names (econsim_parameter_labels_count)
#   econsim_unit, econsim_x_to, econsim_y_to

key_points = '参数 (mu*, sigma), 横线: mu* 的区间'
key_line   = 'sigma = mu*'

set title econsim_title noenhanced
set xlabel 'mu* (平均绝对基本效应, 单位: ' . econsim_unit . ')' noenhanced
set ylabel 'sigma (基本效应的标准差)' noenhanced
set xrange [0 : econsim_x_to]
set yrange [0 : econsim_y_to]
set format x '%g'
set format y '%g'
set lmargin 12

do for [i = 1:econsim_parameter_labels_count] {
    set label (9200 + i) econsim_parameter_labels[i] at first econsim_label_x[i], first econsim_label_y[i] \
        offset 0.8, 0.6 left font ',9' textcolor rgb '#333333' noenhanced front
}

plot x with lines lc rgb '#999999' dt (4, 3) lw 1 title key_line, \
     $econsim_points using 1:2:3:4 with xerrorbars lc rgb style_blue pt 7 ps 1.3 lw 1.5 title key_points
