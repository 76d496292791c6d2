# peers.gp: one variable of the home county (series 1, drawn thick) against its peers: data
# solid (hollow points: derived from growth rates or interpolated), projections dashed, and
# the years in which the home county draws level with or falls behind a peer marked by number
# on its line, the notes of the numbers listed in a corner.
#
# Set by econsim (besides style.gp's variables), for series i = 1 .. econsim_series_titles_count:
#   $econsim_<i>_history, _observed, _estimated, _projection   year value
#   econsim_<i>_history_points, ... rows in each
#   econsim_series_titles[]       place names (series 1 is the home county)
#   econsim_home_first_value      the home county's first value drawn
#   econsim_point_years[], _values[], _labels[] (econsim_point_years_count): the points on the
#   home county's line where its order changes (or where it still trails a peer at the end),
#   each marked with the numbers of its notes ("1", or "2,3" for two at one point)
#   econsim_mark_texts[] (econsim_mark_texts_count): the notes, "1: 2019 年超过辉县市", listed in
#   a corner of the plot that the home county's line leaves free
#   econsim_year_from, _to, _step, _first_tic, econsim_start, econsim_y_percent (1: percent),
#   econsim_y_from_zero, econsim_y_at_least, econsim_text_forecast

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
set offsets 0, 0, graph 0.06, 0
set arrow 9100 from econsim_start - 0.5, graph 0 to econsim_start - 0.5, graph 1 nohead \
    lc rgb '#bbbbbb' dt (2, 3) lw 1 back
set label 9101 econsim_text_forecast at econsim_start - 0.4, graph 0.03 left font style_font_label textcolor rgb '#999999' \
    noenhanced back

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

# the order changes: a numbered marker on the home county's line at each, and the notes listed
# in the top left corner, or the bottom right one when the home county starts in the top half
# (a dry run into a table gives the ranges)
set table $econsim_scratch
eval 'plot ' . layers[3:]
unset table
eval style_y_tics
if (econsim_point_years_count > 0) {
    do for [k = 1:econsim_point_years_count] {
        set label (9500 + k) econsim_point_labels[k] at econsim_point_years[k], econsim_point_values[k] \
            right offset -0.7, 0.9 font style_font_label textcolor rgb style_vermilion noenhanced front boxed \
            point pt 8 ps 2.0 lc rgb style_vermilion
    }
}
if (econsim_mark_texts_count > 0) {
    home_first = (econsim_home_first_value - GPVAL_Y_MIN) / (GPVAL_Y_MAX - GPVAL_Y_MIN)
    do for [k = 1:econsim_mark_texts_count] {
        if (home_first < 0.5) {
            set label (9600 + k) econsim_mark_texts[k] at graph 0.015, graph 0.97 offset 0, -1.25 * (k - 1) \
                left font style_font_label textcolor rgb style_vermilion noenhanced front boxed
        } else {
            set label (9600 + k) econsim_mark_texts[k] at graph 0.985, graph 0.1 \
                offset 0, 1.25 * (econsim_mark_texts_count - k) right font style_font_label textcolor rgb style_vermilion \
                noenhanced front boxed
        }
    }
}
eval 'plot ' . layers[3:]
