# prim-peeling.gp: the peeling trajectory of one box of scenario discovery (PRIM): each step
# as a point at (coverage, density). Coverage is the share of all misses of the goal inside
# the box, density the share of the box's runs that miss it; peeling trades the first for the
# second. The step chosen (the densest one holding at least the coverage asked, or the step
# named) is marked.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_steps    coverage density restricted (percent, percent, inputs restricted), one
#                     row per step from step 0 (every run searched)
#   $econsim_chosen   coverage density of the step chosen
#   econsim_chosen_label   "step N"

set title econsim_title noenhanced
set xlabel '覆盖率 coverage (箱内未达标占全部未达标的比例, %)' noenhanced
set ylabel '密度 density (箱内运行中未达标的比例, %)' noenhanced
set xrange [0 : 105]
set yrange [0 : 105]
set format x '%g'
set format y '%g'
set lmargin 12
set key bottom left

plot $econsim_steps using 1:2 with linespoints lc rgb style_blue pt 7 ps 0.8 lw 1.5 title '剥离轨迹 peeling trajectory', \
     $econsim_chosen using 1:2 with points lc rgb style_vermilion pt 7 ps 2.2 title econsim_chosen_label
