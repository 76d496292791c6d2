# morris.gp: the Morris screening of one output: each parameter as a point at (mu*, sigma), the
# mean absolute elementary effect and the spread of the effects, both in the output's unit
# (percent for rates) per the parameter's whole range, with the bootstrap interval of mu*. Far
# right: important; high up: nonlinear or interacting (above the dashed line sigma = mu*).
# Only the points that stand apart are labelled (econsim chooses them, largest mu* first, so
# that no two labels meet); the footnote names the others.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_points    mu_star sigma mu_star_low mu_star_high (one row per parameter)
#   econsim_parameter_labels[]   the labels drawn (econsim_parameter_labels_count), at
#   econsim_label_x[], econsim_label_y[]   their points, and econsim_label_side[] (1: the text
#                      to the right of the point, -1: to the left)
#   econsim_x_label, econsim_y_label, econsim_key_points, econsim_key_line
#   econsim_x_to, econsim_y_to
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

set xlabel econsim_x_label noenhanced
set ylabel econsim_y_label noenhanced
set xrange [0 : econsim_x_to]
set yrange [0 : econsim_y_to]
set format x '%g'
set format y '%g'
set lmargin 12
# the x label holds a unit: a little more room between it and the key under it
set bmargin sweep_foot + 6.2

do for [i = 1:econsim_parameter_labels_count] {
    if (econsim_label_side[i] > 0) {
        set label (9200 + i) econsim_parameter_labels[i] at first econsim_label_x[i], first econsim_label_y[i] \
            offset 0.8, 0.6 left font sweep_font(9) textcolor rgb '#333333' noenhanced front
    } else {
        set label (9200 + i) econsim_parameter_labels[i] at first econsim_label_x[i], first econsim_label_y[i] \
            offset -0.8, 0.6 right font sweep_font(9) textcolor rgb '#333333' noenhanced front
    }
}

plot x with lines lc rgb '#999999' dt (4, 3) lw 1 title econsim_key_line, \
     $econsim_points using 1:2:3:4 with xerrorbars lc rgb style_blue pt 7 ps 1.3 lw 1.5 title econsim_key_points
