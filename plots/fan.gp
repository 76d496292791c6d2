# fan.gp: the fan chart of one variable under uncertainty (an ensemble of paths): the
# 5-95%, 10-90% and 25-75% bands of the paths in each year, darker towards the middle, the
# median as a line, the history before the projection (filled points: observed), and each
# goal on the variable as a marker at its target with its label and the probability of
# meeting it.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_bands       year p05 p10 p25 p50 p75 p90 p95 (from the last year before start,
#                        where all equal the known value, so the fan opens from it)
#   $econsim_history     year value (data and values computed from data; a blank line at gaps)
#   $econsim_observed    year value (observations only)
#   $econsim_goals       year target
#   econsim_history_points, econsim_observed_points, econsim_goal_points: rows in each
#   econsim_goal_labels[] (label and probability), econsim_goal_years[], econsim_goal_levels[],
#   econsim_goal_labels_count
#   econsim_year_from, _to, _step, _first_tic, econsim_start, econsim_y_percent (1: percent)
#   econsim_text_band_90, _band_80, _band_50, _median, _history, _goal, _forecast: the key and
#   the projection's start label, in the user's language
#   econsim_y_from_zero (1 when no value is negative), econsim_y_at_least (largest value)

band_90 = '#d4e6f4'
band_80 = '#a6cbe8'
band_50 = '#6aa8d6'

unset xlabel
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

layers = ', $econsim_bands using 1:2:8 with filledcurves fc rgb band_90 fs solid 1.0 noborder title econsim_text_band_90'
layers = layers . ', $econsim_bands using 1:3:7 with filledcurves fc rgb band_80 fs solid 1.0 noborder title econsim_text_band_80'
layers = layers . ', $econsim_bands using 1:4:6 with filledcurves fc rgb band_50 fs solid 1.0 noborder title econsim_text_band_50'
layers = layers . ', $econsim_bands using 1:5 with lines ls style_projection title econsim_text_median'
if (econsim_history_points > 0) {
    layers = layers . ', $econsim_history using 1:2 with lines ls style_history title econsim_text_history'
}
if (econsim_observed_points > 0) {
    layers = layers . ', $econsim_observed using 1:2 with points ls style_history pt 7 notitle'
}
if (econsim_goal_points > 0) {
    layers = layers . ', $econsim_goals using 1:2 with points ls style_goal title econsim_text_goal'
}
# goal labels (label and probability) against their markers, inside the plot: a dry run into
# a table gives the ranges (style_goal_labels in style.gp)
set table $econsim_scratch
eval 'plot ' . layers[3:]
unset table
eval style_goal_labels
eval style_y_tics
eval 'plot ' . layers[3:]
