# heatmap.gp: a two-parameter grid sweep of one output: the output's value over the grid
# (each cell coloured by the mean of its four corners) and, where the scenario has a goal on
# this output, the contour line where the output equals the goal's target.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_grid      x y value, one block per x value (a blank line after each)
#   econsim_x_label, econsim_y_label   the two parameters
#   econsim_unit       the output's unit
#   econsim_has_contour (1/0), econsim_contour_level, econsim_contour_label

set title econsim_title noenhanced
set xlabel econsim_x_label noenhanced
set ylabel econsim_y_label noenhanced
set cblabel '单位: ' . econsim_unit noenhanced offset 2, 0
set format x '%g'
set format y '%g'
set lmargin 12
set rmargin 14
set grid noxtics noytics
set view map
set pm3d map
set palette cubehelix
set autoscale xfix
set autoscale yfix
unset clabel
if (econsim_has_contour) {
    set contour base
    set cntrparam levels discrete econsim_contour_level
    splot $econsim_grid using 1:2:3 with pm3d notitle, \
          $econsim_grid using 1:2:3 nosurface with lines lw 3 lc rgb style_vermilion title econsim_contour_label
} else {
    unset contour
    splot $econsim_grid using 1:2:3 with pm3d notitle
}
