# tornado.gp: a one-at-a-time sweep of one output. Each parameter moves alone from the
# scenario to its low and to its high value; its bar spans the output's two values around the
# scenario's (the vertical line). The widest swing is at the top.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_bars      position value_at_low value_at_high (position 1 = top)
#   econsim_parameter_labels[]   one label per row, with the low and high values
#   econsim_base       the output on the scenario's own path
#   econsim_unit       the output's unit
#   econsim_x_from, econsim_x_to
#   econsim_label_columns  the widest label, in character columns (the left margin)

key_low  = '参数取低值'
key_high = '参数取高值'
bar_half_height = 0.32

set title econsim_title noenhanced
set xlabel '输出值 (单位: ' . econsim_unit . ')' noenhanced
unset ylabel
set yrange [econsim_parameter_labels_count + 0.6 : 0.4]
set xrange [econsim_x_from : econsim_x_to]
set format x '%g'
set ytics 1 scale 0
set grid noytics xtics
set lmargin econsim_label_columns + 3
set style fill solid 0.85 border -1
set tmargin 4.5
set title offset 0, 1.2
set arrow 9100 from first econsim_base, graph 0 to first econsim_base, graph 1 nohead lc rgb '#333333' lw 1.5 front
set label 9101 sprintf('情景值 %g', econsim_base) at first econsim_base, graph 1 offset 0, 0.8 center font ',9' \
    textcolor rgb '#333333' front

plot $econsim_bars using (econsim_base):1:ytic(econsim_parameter_labels[int($0) + 1]) with points ps 0 lc rgb '#ffffff' notitle, \
     $econsim_bars using ((econsim_base + $2) / 2):1:(abs($2 - econsim_base) / 2):(bar_half_height) with boxxyerror \
         fs solid 0.85 border rgb style_sky lc rgb style_sky title key_low, \
     $econsim_bars using ((econsim_base + $3) / 2):1:(abs($3 - econsim_base) / 2):(bar_half_height) with boxxyerror \
         fs solid 0.85 border rgb style_orange lc rgb style_orange title key_high
