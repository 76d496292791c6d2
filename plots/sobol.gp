# sobol.gp: the Sobol' indices of one output of a sweep. For each parameter (the most
# influential at the top), the total index ST (the share of the output's variance in which the
# parameter takes part, alone or with others) and the first-order index S1 (its share alone),
# as bars with their bootstrap intervals, in percent of the variance. A parameter whose
# interval is wider than the sweep's threshold, or whose index is clearly negative, is marked
# in its label.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_indices   position ST ST_low ST_high S1 S1_low S1_high (percent; position 1 = top)
#   econsim_parameter_labels[]   one label per row (econsim_parameter_labels_count)
#   econsim_x_from, econsim_x_to   the x range (includes 0 and every interval)
#   econsim_label_columns          the widest label, in character columns (the left margin)
#   econsim_interval_label         e.g. 'Whiskers: 95% interval (1000 bootstrap resamples)'
#   econsim_x_label, econsim_key_total, econsim_key_first   the axis and the key
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

bar_half_height = 0.17

set xlabel econsim_x_label noenhanced
unset ylabel
set yrange [econsim_parameter_labels_count + 0.6 : 0.4]
set xrange [econsim_x_from : econsim_x_to]
set format x '%.0f%%'
set ytics 1 scale 0
set grid noytics xtics
set lmargin econsim_label_columns + 3
set style fill solid 0.85 border -1
set arrow 9100 from first 0, graph 0 to first 0, graph 1 nohead lc rgb '#333333' lw 1 back
# the interval note on a line of its own under the title
set tmargin sweep_top + 1.3
set label 9101 econsim_interval_label at screen 0.5, screen 1 offset 0, -(sweep_top + 0.2) center \
    font sweep_font(9) textcolor rgb '#333333' noenhanced front

plot $econsim_indices using (0):1:ytic(econsim_parameter_labels[int($0) + 1]) with points ps 0 lc rgb '#ffffff' notitle, \
     $econsim_indices using ($2 / 2):($1 - bar_half_height):(abs($2) / 2):(bar_half_height * 0.9) with boxxyerror \
         fs solid 0.85 border rgb style_blue lc rgb style_blue title econsim_key_total, \
     $econsim_indices using 2:($1 - bar_half_height):3:4 with xerrorbars lc rgb '#222222' pt 0 lw 1.2 notitle, \
     $econsim_indices using ($5 / 2):($1 + bar_half_height):(abs($5) / 2):(bar_half_height * 0.9) with boxxyerror \
         fs solid 0.85 border rgb style_orange lc rgb style_orange title econsim_key_first, \
     $econsim_indices using 5:($1 + bar_half_height):6:7 with xerrorbars lc rgb '#222222' pt 0 lw 1.2 notitle
