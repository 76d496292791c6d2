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
#   econsim_chosen_label   "chosen: step N"
#   econsim_x_label, econsim_y_label, econsim_key_steps
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
set xrange [0 : 105]
set yrange [0 : 105]
set format x '%g%%'
set format y '%g%%'
set lmargin 12

plot $econsim_steps using 1:2 with linespoints lc rgb style_blue pt 7 ps 0.8 lw 1.5 title econsim_key_steps, \
     $econsim_chosen using 1:2 with points lc rgb style_vermilion pt 7 ps 2.2 title econsim_chosen_label
