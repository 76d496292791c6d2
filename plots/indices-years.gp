# indices-years.gp: the sensitivity indices of one output year by year (an output written
# VARIABLE@* in the sweep): for each parameter its main index (Sobol' ST, or Morris mu*) as a
# line with its interval as a band, and, for Sobol', its first-order index S1 dashed.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_years     year, then per parameter i: value low high second (4 columns each;
#                      second is S1 for Sobol', sigma for Morris; Sobol' in percent)
#   econsim_count      parameters
#   econsim_parameter_labels[]   their labels
#   econsim_x_label, econsim_y_label   the axes
#   econsim_second     1 to draw the second column dashed
#   econsim_y_from, econsim_y_to, econsim_year_from, econsim_year_to
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
set xrange [econsim_year_from - 0.3 : econsim_year_to + 0.3]
set yrange [econsim_y_from : econsim_y_to]
set xtics 1
set format x '%.0f'
set format y '%g'
set lmargin 12
set key default
set rmargin
set key outside right top vertical noenhanced samplen 2.5 font sweep_key_font textcolor rgb '#333333'
set bmargin sweep_foot + 4.4
set style fill transparent solid 0.15 noborder

plot for [i = 1:econsim_count] $econsim_years using 1:(column(4 * i - 1)):(column(4 * i)) \
         with filledcurves lc i notitle, \
     for [i = 1:econsim_count] $econsim_years using 1:(column(4 * i - 2)) \
         with linespoints lc i lw 2 pt 7 ps 0.8 title econsim_parameter_labels[i], \
     for [i = 1:(econsim_second ? econsim_count : 0)] $econsim_years using 1:(column(4 * i + 1)) \
         with lines lc i lw 1.2 dt (6, 4) notitle
