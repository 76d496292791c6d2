# tornado.gp: a one-at-a-time sweep of one output. Each parameter moves alone from the
# scenario to its low and to its high value; its bar spans the output's two values around the
# scenario's (the vertical line). The widest swing is at the top.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_bars      position value_at_low value_at_high (position 1 = top; percent for rates)
#   econsim_parameter_labels[]   one label per row, with the low and high values
#   econsim_base       the output on the scenario's own path, econsim_base_label its text
#   econsim_x_label, econsim_key_low, econsim_key_high
#   econsim_x_from, econsim_x_to
#   econsim_label_columns  the widest label, in character columns (the left margin)
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

bar_half_height = 0.32

set xlabel econsim_x_label noenhanced
unset ylabel
set yrange [econsim_parameter_labels_count + 0.6 : 0.4]
set xrange [econsim_x_from : econsim_x_to]
set format x '%g'
set ytics 1 scale 0
set grid noytics xtics
set lmargin econsim_label_columns + 3
set style fill solid 0.85 border -1
set tmargin sweep_top + 1.3
set arrow 9100 from first econsim_base, graph 0 to first econsim_base, graph 1 nohead lc rgb '#333333' lw 1.5 front
set label 9101 econsim_base_label at first econsim_base, graph 1 offset 0, 0.8 center font sweep_font(9) \
    textcolor rgb '#333333' noenhanced front

plot $econsim_bars using (econsim_base):1:ytic(econsim_parameter_labels[int($0) + 1]) with points ps 0 lc rgb '#ffffff' notitle, \
     $econsim_bars using ((econsim_base + $2) / 2):1:(abs($2 - econsim_base) / 2):(bar_half_height) with boxxyerror \
         fs solid 0.85 border rgb style_sky lc rgb style_sky title econsim_key_low, \
     $econsim_bars using ((econsim_base + $3) / 2):1:(abs($3 - econsim_base) / 2):(bar_half_height) with boxxyerror \
         fs solid 0.85 border rgb style_orange lc rgb style_orange title econsim_key_high
