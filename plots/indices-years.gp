# indices-years.gp: the sensitivity indices of one output year by year (an output written
# VARIABLE@* in the sweep): for each parameter its main index (Sobol' ST, or Morris mu*) as a
# line with its interval as a band, and, for Sobol', its first-order index S1 dashed.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_years     year, then per parameter i: value low high second (4 columns each;
#                      second is S1 for Sobol', sigma for Morris)
#   econsim_count      parameters
#   econsim_parameter_labels[]   their names
#   econsim_y_label    what the main index is
#   econsim_second     1 to draw the second column dashed
#   econsim_y_from, econsim_y_to, econsim_year_from, econsim_year_to

set title econsim_title noenhanced
set xlabel '年份 year' noenhanced
set ylabel econsim_y_label noenhanced
set xrange [econsim_year_from - 0.3 : econsim_year_to + 0.3]
set yrange [econsim_y_from : econsim_y_to]
set xtics 1
set format x '%.0f'
set format y '%g'
set lmargin 12
set key outside right top vertical noenhanced
set style fill transparent solid 0.15 noborder

plot for [i = 1:econsim_count] $econsim_years using 1:(column(4 * i - 1)):(column(4 * i)) \
         with filledcurves lc i notitle, \
     for [i = 1:econsim_count] $econsim_years using 1:(column(4 * i - 2)) \
         with linespoints lc i lw 2 pt 7 ps 0.8 title econsim_parameter_labels[i], \
     for [i = 1:(econsim_second ? econsim_count : 0)] $econsim_years using 1:(column(4 * i + 1)) \
         with lines lc i lw 1.2 dt (6, 4) notitle
