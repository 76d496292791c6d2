# prim-scatter.gp: two inputs of a box of scenario discovery (PRIM) against each other: every
# run as a point, hollow where the goal is met and filled where it is missed, and the box's
# limits on these two inputs as a rectangle (an unrestricted side reaches the data's extreme).
#
# Set by econsim (besides style.gp's variables):
#   $econsim_met      x y of runs that meet the goal (every run, or an even thinning of them
#                     when there are many: see the footnote)
#   $econsim_missed   x y of runs that miss it
#   $econsim_box      the rectangle: five corners x y (closed)
#   econsim_x_label, econsim_y_label   the inputs and their units

set title econsim_title noenhanced
set xlabel econsim_x_label noenhanced
set ylabel econsim_y_label noenhanced
set format x '%g'
set format y '%g'
set lmargin 12
set key outside top center horizontal
set offsets graph 0.03, graph 0.03, graph 0.03, graph 0.03

plot $econsim_met using 1:2 with points lc rgb style_sky pt 6 ps 0.5 title '达标 met', \
     $econsim_missed using 1:2 with points lc rgb style_vermilion pt 7 ps 0.5 title '未达标 missed', \
     $econsim_box using 1:2 with lines lc rgb style_black lw 2.5 title '箱 box'
