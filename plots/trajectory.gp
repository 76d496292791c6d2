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
#   econsim_reference_values[], _years[], _labels[] (econsim_reference_values_count; the
#   labels carry their year)
#   econsim_year_from, _to, _step, _first_tic, econsim_start, econsim_y_percent (1: the values
#   are percent)
#   econsim_y_from_zero (1 when no value is negative), econsim_y_at_least (largest value)
#   econsim_text_observed, _estimated, _projection, _goal, _forecast: the key and the label of
#   the projection's start, in the user's language

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

# a thin line where the projection starts
set arrow 9100 from econsim_start - 0.5, graph 0 to econsim_start - 0.5, graph 1 nohead \
    lc rgb '#bbbbbb' dt (2, 3) lw 1 back
set label 9101 econsim_text_forecast at econsim_start - 0.4, graph 0.97 left font style_font_label textcolor rgb '#999999' \
    noenhanced back

# only the layers this chart has: gnuplot warns about an empty datablock even in a loop
# that does not run, so the plot command is assembled here (template text only: every text
# from files is referred to by variable name)
layers = ''
if (econsim_history_points > 0) {
    layers = layers . ', $econsim_history using 1:2 with lines ls style_history notitle'
}
if (econsim_observed_points > 0) {
    layers = layers . ', $econsim_observed using 1:2 with points ls style_history pt 7 title econsim_text_observed'
}
if (econsim_estimated_points > 0) {
    layers = layers . ', $econsim_estimated using 1:2 with points ls style_history pt 6 ps 1.3 title econsim_text_estimated'
}
if (econsim_projection_points > 0) {
    layers = layers . ', $econsim_projection using 1:2 with lines ls style_projection title econsim_text_projection'
}
if (econsim_goal_labels_count > 0) {
    layers = layers . ', $econsim_goals using 1:2 with points ls style_goal title econsim_text_goal'
}

# reference lines: later targets such as the "166" goals, labelled on the line at the left
if (econsim_reference_values_count > 0) {
    do for [i = 1:econsim_reference_values_count] {
        set arrow (9200 + i) from graph 0, first econsim_reference_values[i] \
            to graph 1, first econsim_reference_values[i] nohead ls style_reference back
        set label (9300 + i) econsim_reference_labels[i] at graph 0.01, first econsim_reference_values[i] \
            offset 0, 0.6 left font style_font_label textcolor rgb style_vermilion noenhanced front boxed
    }
}
if (strlen(layers) > 2) {
    # goal labels against their markers, inside the plot: a dry run into a table gives the
    # ranges, so a label goes right of a marker in the left half and left of it in the right
    # half, above it unless the marker is near the top (style_goal_labels in style.gp)
    set table $econsim_scratch
    eval 'plot ' . layers[3:]
    unset table
    eval style_goal_labels
eval style_y_tics
    eval 'plot ' . layers[3:]
}
