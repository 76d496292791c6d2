# prim-scatter.gp: two inputs of a box of scenario discovery (PRIM) against each other: every
# run as a point, hollow where the goal is met and filled where it is missed, and the box's
# limits on these two inputs as a rectangle (an unrestricted side reaches the data's extreme).
#
# Set by econsim (besides style.gp's variables):
#   $econsim_met      x y of runs that meet the goal (every run, or an even thinning of them
#                     when there are many: see the footnote)
#   $econsim_missed   x y of runs that miss it
#   $econsim_box      the rectangle: five corners x y (closed)
#   econsim_x_label, econsim_y_label   the inputs and their units (rates in percent)
#   econsim_key_met, econsim_key_missed, econsim_key_box
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
set format x '%g'
set format y '%g'
set lmargin 12
set offsets graph 0.03, graph 0.03, graph 0.03, graph 0.03

plot $econsim_met using 1:2 with points lc rgb style_sky pt 6 ps 0.5 title econsim_key_met, \
     $econsim_missed using 1:2 with points lc rgb style_vermilion pt 7 ps 0.5 title econsim_key_missed, \
     $econsim_box using 1:2 with lines lc rgb style_black lw 2.5 title econsim_key_box
