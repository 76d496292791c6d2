# trajectory.gp: one variable of one scenario over the years. Data solid with points
# (filled: observed; hollow: derived from an observed growth rate, interpolated or an initial
# value), the projection dashed from the last value before it, goals as markers at their
# year, and goals set for a later year than the start also as reference lines.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_history      year value (a blank line where data is missing)
#   $econsim_observed     year value;   $econsim_estimated: year value
#   $econsim_projection   year value;   $econsim_goals: year level
#   econsim_*_points      rows in each
#   econsim_goal_labels[], econsim_goal_years[], econsim_goal_levels[],
#   econsim_goal_is_reference[] (1: also a reference line), econsim_goal_labels_count goals
#   econsim_reference_values[], _years[], _labels[] (econsim_reference_values_count)
#   econsim_unit, econsim_year_from, _to, _step, _first_tic, econsim_start
#   econsim_y_from_zero (1 when no value is negative), econsim_y_at_least (largest value)

key_observed   = '历史数据 (观测值)'
key_estimated  = '推算值 (由增速推算/初始值)'
key_projection = '模型计算 / 预测'
key_goal       = '目标'

set title econsim_title noenhanced
unset xlabel  # whole years need no label
# the unit above the y axis, written across (a rotated Chinese label reads badly)
unset ylabel
set label 9102 '单位: ' . econsim_unit at graph 0, graph 1 offset -2, 1.3 left font ',10' textcolor rgb '#333333' noenhanced
set xrange [econsim_year_from - 0.5 : econsim_year_to + 0.5]
set xtics econsim_year_first_tic, econsim_year_step
if (econsim_y_from_zero) {
    set yrange [0 : (econsim_y_at_least * 1.08) < *]
} else {
    set yrange [*:*]
}
set offsets 0, 0, graph 0.04, 0

# a thin line where the projection starts
set arrow 9100 from econsim_start - 0.5, graph 0 to econsim_start - 0.5, graph 1 nohead \
    lc rgb '#bbbbbb' dt (2, 3) lw 1 back
set label 9101 '预测 →' at econsim_start - 0.4, graph 0.97 left font ',9' textcolor rgb '#999999' back

# reference lines: later targets such as the "166" goals
if (econsim_reference_values_count > 0) {
    do for [i = 1:econsim_reference_values_count] {
        set arrow (9200 + i) from graph 0, first econsim_reference_values[i] \
            to graph 1, first econsim_reference_values[i] nohead ls style_reference back
        set label (9300 + i) econsim_reference_labels[i] . sprintf(' (%d)', econsim_reference_years[i]) \
            at graph 0.01, first econsim_reference_values[i] offset 0, 0.55 left \
            font ',9' textcolor rgb style_vermilion noenhanced front boxed
    }
}

# goal labels beside their markers (those with a reference line are labelled on the line);
# `set label`, not `with labels`, which re-reads a text that starts with a double quote
if (econsim_goal_labels_count > 0) {
    do for [i = 1:econsim_goal_labels_count] {
        if (!econsim_goal_is_reference[i]) {
            set label (9400 + i) econsim_goal_labels[i] at econsim_goal_years[i], econsim_goal_levels[i] \
                right offset -1.4, 0.8 font ',9' textcolor rgb style_vermilion noenhanced front boxed
        }
    }
}

# only the layers this chart has: gnuplot warns about an empty datablock even in a loop
# that does not run, so the plot command is assembled here (template text only: every text
# from files is referred to by variable name)
layers = ''
if (econsim_history_points > 0) {
    layers = layers . ', $econsim_history using 1:2 with lines ls style_history notitle'
}
if (econsim_observed_points > 0) {
    layers = layers . ', $econsim_observed using 1:2 with points ls style_history pt 7 title key_observed'
}
if (econsim_estimated_points > 0) {
    layers = layers . ', $econsim_estimated using 1:2 with points ls style_history pt 6 ps 1.3 title key_estimated'
}
if (econsim_projection_points > 0) {
    layers = layers . ', $econsim_projection using 1:2 with lines ls style_projection title key_projection'
}
if (econsim_goal_labels_count > 0) {
    layers = layers . ', $econsim_goals using 1:2 with points ls style_goal title key_goal'
}
if (strlen(layers) > 2) {
    eval 'plot ' . layers[3:]
}
