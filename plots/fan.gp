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
#   econsim_unit, econsim_year_from, _to, _step, _first_tic, econsim_start
#   econsim_y_from_zero (1 when no value is negative), econsim_y_at_least (largest value)

key_band_90  = '5%–95% 区间'
key_band_80  = '10%–90%'
key_band_50  = '25%–75%'
key_median   = '中位数'
key_history  = '历史数据'
key_goal     = '目标 (达成概率)'

band_90 = '#d4e6f4'
band_80 = '#a6cbe8'
band_50 = '#6aa8d6'

set title econsim_title noenhanced
unset xlabel
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

set arrow 9100 from econsim_start - 0.5, graph 0 to econsim_start - 0.5, graph 1 nohead \
    lc rgb '#bbbbbb' dt (2, 3) lw 1 back
set label 9101 '预测 →' at econsim_start - 0.4, graph 0.97 left font ',9' textcolor rgb '#999999' back

# goal labels beside their markers (set label: the labels are text from files)
if (econsim_goal_labels_count > 0) {
    do for [i = 1:econsim_goal_labels_count] {
        set label (9400 + i) econsim_goal_labels[i] at econsim_goal_years[i], econsim_goal_levels[i] \
            right offset -1.4, 0.8 font ',9' textcolor rgb style_vermilion noenhanced front boxed
    }
}

layers = ', $econsim_bands using 1:2:8 with filledcurves fc rgb band_90 fs solid 1.0 noborder title key_band_90'
layers = layers . ', $econsim_bands using 1:3:7 with filledcurves fc rgb band_80 fs solid 1.0 noborder title key_band_80'
layers = layers . ', $econsim_bands using 1:4:6 with filledcurves fc rgb band_50 fs solid 1.0 noborder title key_band_50'
layers = layers . ', $econsim_bands using 1:5 with lines ls style_projection title key_median'
if (econsim_history_points > 0) {
    layers = layers . ', $econsim_history using 1:2 with lines ls style_history title key_history'
}
if (econsim_observed_points > 0) {
    layers = layers . ', $econsim_observed using 1:2 with points ls style_history pt 7 notitle'
}
if (econsim_goal_points > 0) {
    layers = layers . ', $econsim_goals using 1:2 with points ls style_goal title key_goal'
}
eval 'plot ' . layers[3:]
