# heatmap.gp: a two-parameter grid sweep of one output: the output's value over the grid
# (each cell coloured by the mean of its four corners) and, where the scenario has a level goal
# on this output that the grid reaches, the contour line where the output equals the goal's
# target. A goal the grid does not reach (or meets everywhere) is said under the title instead.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_grid      x y value, one block per x value (a blank line after each; rates in percent)
#   econsim_x_label, econsim_y_label   the two parameters and their units
#   econsim_cb_label   the output and its unit (the colour bar)
#   econsim_has_contour (1/0), econsim_contour_level, econsim_contour_label (the goal, or why
#                      it has no line; '' without a goal)
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
set cblabel econsim_cb_label noenhanced offset 1, 0
set format x '%g'
set format y '%g'
set lmargin 12
set rmargin 16
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
    # no key: the x axis takes the room above the footnote
    set bmargin sweep_foot + 4.0
    if (strlen(econsim_contour_label) > 0) {
        # no line: the note says why, on a line of its own under the title
        set tmargin sweep_top + 1.3
        set label 9101 econsim_contour_label at screen 0.5, screen 1 offset 0, -(sweep_top + 0.2) center \
            font sweep_font(9) textcolor rgb style_vermilion noenhanced front
    }
    splot $econsim_grid using 1:2:3 with pm3d notitle
}
