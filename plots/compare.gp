# compare.gp: one variable under several scenarios: the years before the start drawn once,
# from the first scenario (data grey, estimates dashed in its colour), and each scenario's
# projection dashed in its own colour and point shape, labelled by the scenario's title; the
# first scenario's goals as on a trajectory.
#
# Set by econsim (besides style.gp's variables), for series i = 1 .. econsim_series_titles_count:
#   $econsim_<i>_history, _observed, _estimated, _projection   year value
#   econsim_<i>_history_points, ... rows in each
#   econsim_series_titles[]       the scenarios' titles
#   econsim_year_from, _to, _step, _first_tic, econsim_start, econsim_y_percent,
#   econsim_y_from_zero, econsim_y_at_least
#   $econsim_goals: year level; econsim_goal_labels[], _years[], _levels[], _is_reference[]
#   (econsim_goal_labels_count goals: the first scenario's on this variable);
#   econsim_reference_values[], _labels[], _years[] (econsim_reference_values_count)
#   econsim_text_history, _goal, _forecast: key entries and the projection's start label

history_colour = '#555555'

unset xlabel  # whole years need no label
unset ylabel  # the unit is above the y axis (style.gp), written across
set xrange [econsim_year_from - 0.5 : econsim_year_to + 0.5]
set xtics econsim_year_first_tic, econsim_year_step
if (econsim_y_from_zero) {
    set yrange [0 : (econsim_y_at_least * 1.08) < *]
} else {
    set yrange [*:*]
}
if (econsim_y_percent) {
    set format y '%g%%'
}
set offsets 0, 0, graph 0.04, 0
set arrow 9100 from econsim_start - 0.5, graph 0 to econsim_start - 0.5, graph 1 nohead \
    lc rgb '#bbbbbb' dt (2, 3) lw 1 back
set label 9101 econsim_text_forecast at econsim_start - 0.4, graph 0.97 left font style_font_label textcolor rgb '#999999' \
    noenhanced back

# the first scenario's goals, as on a trajectory: later targets as reference lines, the others
# labelled against their markers (style_goal_labels, after a dry run that gives the ranges)
if (econsim_reference_values_count > 0) {
    do for [i = 1:econsim_reference_values_count] {
        set arrow (9200 + i) from graph 0, first econsim_reference_values[i] \
            to graph 1, first econsim_reference_values[i] nohead ls style_reference back
        set label (9300 + i) econsim_reference_labels[i] at graph 0.01, first econsim_reference_values[i] \
            offset 0, 0.6 left font style_font_label textcolor rgb style_vermilion noenhanced front boxed
    }
}

# projections first, so the data drawn over them keeps its own markers
layers = ''
do for [i = 1:econsim_series_titles_count] {
    if (value(sprintf('econsim_%d_projection_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_projection using 1:2 with linespoints lt %d dt %s ps 0.9 title econsim_series_titles[%d]', \
                                  i, i, style_projection_dash, i)
    }
}
has_history = 0
do for [i = 1:econsim_series_titles_count] {
    if (value(sprintf('econsim_%d_history_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_history using 1:2 with lines lc rgb history_colour lw 2.5 notitle', i)
        has_history = 1
    }
    if (value(sprintf('econsim_%d_observed_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_observed using 1:2 with points lc rgb history_colour pt 7 notitle', i)
        has_history = 1
    }
    if (value(sprintf('econsim_%d_estimated_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_estimated using 1:2 with points lc rgb history_colour pt 6 ps 1.3 notitle', i)
    }
}
if (has_history) {
    layers = layers . ', keyentry with linespoints lc rgb history_colour lw 2.5 pt 7 title econsim_text_history'
}
if (econsim_goal_labels_count > 0) {
    layers = layers . ', $econsim_goals using 1:2 with points ls style_goal title econsim_text_goal'
}
set table $econsim_scratch
eval 'plot ' . layers[3:]
unset table
eval style_goal_labels
eval style_y_tics
eval 'plot ' . layers[3:]
