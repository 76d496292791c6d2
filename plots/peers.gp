# peers.gp: one variable of the home county (series 1, drawn thick) against its peers: data
# solid (hollow points: derived from growth rates or interpolated), projections dashed, and
# the years in which the home county draws level with or falls behind a peer marked.
#
# Set by econsim (besides style.gp's variables), for series i = 1 .. econsim_series_titles_count:
#   $econsim_<i>_history, _observed, _estimated, _projection   year value
#   econsim_<i>_history_points, ... rows in each
#   econsim_series_titles[]       place names (series 1 is the home county)
#   econsim_mark_years[], _values[], _directions[] (+1 draws level with and passes the peer,
#   -1 falls behind it, 0 still behind it at the end of the horizon), econsim_mark_places[]:
#   econsim_mark_years_count marks
#   econsim_unit, econsim_year_from, _to, _step, _first_tic, econsim_start,
#   econsim_y_from_zero, econsim_y_at_least

text_passes = '%d 年超过'
text_falls  = '%d 年被超过: '
text_behind = '至 %d 年仍低于'

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
set offsets 0, 0, graph 0.06, 0
set arrow 9100 from econsim_start - 0.5, graph 0 to econsim_start - 0.5, graph 1 nohead \
    lc rgb '#bbbbbb' dt (2, 3) lw 1 back
set label 9101 '预测 →' at econsim_start - 0.4, graph 0.97 left font ',9' textcolor rgb '#999999' back

# catch-up marks on the home county's line
if (econsim_mark_years_count > 0) {
    do for [k = 1:econsim_mark_years_count] {
        mark_text = econsim_mark_directions[k] > 0 ? sprintf(text_passes, econsim_mark_years[k]) . econsim_mark_places[k] \
                  : econsim_mark_directions[k] < 0 ? sprintf(text_falls, econsim_mark_years[k]) . econsim_mark_places[k] \
                  : sprintf(text_behind, econsim_mark_years[k]) . econsim_mark_places[k]
        set label (9500 + k) mark_text at econsim_mark_years[k], econsim_mark_values[k] \
            right offset -1.2, 1.3 * k font ',9' textcolor rgb style_vermilion noenhanced front boxed \
            point pt 8 ps 2.2 lc rgb style_vermilion
    }
}

# each place: a line of data, its points, its projection; the key shows one entry per place
layers = ''
do for [i = 1:econsim_series_titles_count] {
    width = i == 1 ? 3.5 : 2
    if (value(sprintf('econsim_%d_history_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_history using 1:2 with lines lt %d lw %g notitle', i, i, width)
    }
    if (value(sprintf('econsim_%d_observed_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_observed using 1:2 with points lt %d pt 7 notitle', i, i)
    }
    if (value(sprintf('econsim_%d_estimated_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_estimated using 1:2 with points lt %d pt 6 ps 1.3 notitle', i, i)
    }
    if (value(sprintf('econsim_%d_projection_points', i)) > 0) {
        layers = layers . sprintf(', $econsim_%d_projection using 1:2 with lines lt %d lw %g dt %s notitle', \
                                  i, i, width, style_projection_dash)
    }
    layers = layers . sprintf(', keyentry with linespoints lt %d lw %g pt 7 title econsim_series_titles[%d]', i, width, i)
}
eval 'plot ' . layers[3:]
