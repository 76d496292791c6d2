# goals.gp: every goal of a scenario as a bar, goals top to bottom in the scenario's order.
# Without an ensemble, the bar is the value reached in the goal's year in percent of its
# target (100% = exactly met): met goals solid green, goals not met vermilion with a pattern,
# so the two differ without colour too. With an ensemble (econsim_probability_mode 1), the bar
# is the probability of meeting the goal (the share of paths), and the note beside it gives the
# deterministic projection's status and value.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_met, $econsim_unmet   position percent: one row per goal with a value (bars of
#                                  the value's percent of target, or of P(met) in percent, by
#                                  the deterministic projection's status)
#   econsim_met_points, econsim_unmet_points   rows in each
#   $econsim_positions             position percent (0 when none): every goal
#   econsim_goal_labels[]          the goals' labels (the y axis), econsim_goal_labels_count
#   econsim_label_columns          the widest label, in character columns
#   econsim_label_share, econsim_note_share   the labels' and the notes' widths as shares of the
#                                  chart's width: the left margin and the right one
#   econsim_goal_notes[]           the text beside each bar
#   econsim_goal_percents[]        the bar of each goal in percent (NaN: no value)
#   econsim_x_at_least             the largest percent (at least 100)
#   econsim_x_step                 the step of the x tics that keeps their labels apart
#   econsim_probability_mode       1: bars of P(met); 0: bars of the value's share of target
#   econsim_text_xlabel, _target: the x axis label and the label of the 100% line, in the
#   user's language

bar_half_height = 0.32

set xlabel econsim_text_xlabel noenhanced
unset ylabel
set yrange [econsim_goal_labels_count + 0.6 : 0.4]
if (econsim_probability_mode) {
    set xrange [0 : 100]
} else {
    set xrange [0 : (econsim_x_at_least * 1.05) < *]
}
set xtics 0, econsim_x_step
set format x '%.0f%%'
set ytics 1 scale 0
set grid noytics xtics
set lmargin at screen econsim_label_share
set rmargin at screen 1 - econsim_note_share
# no key: the note beside each bar says met or not met, and the footnote the colours (a key
# would need the width of the plot, which the labels and notes leave narrow)
unset key
set bmargin style_bmargin - 1.0
set style fill solid 0.85 border -1

# the goals' labels on the y axis: ytic() takes text as it is (set ytics ('...' 1) would read
# it as a format)
layers = ', $econsim_positions using (0):1:ytic(econsim_goal_labels[int($0) + 1]) with points ps 0 lc rgb "#ffffff" notitle'
if (econsim_met_points > 0) {
    layers = layers . ', $econsim_met using ($2 / 2):1:($2 / 2):(bar_half_height) with boxxyerror' \
                    . ' fs solid 0.85 border rgb style_green lc rgb style_green notitle'
}
if (econsim_unmet_points > 0) {
    layers = layers . ', $econsim_unmet using ($2 / 2):1:($2 / 2):(bar_half_height) with boxxyerror' \
                    . ' fs pattern 2 border rgb style_vermilion lc rgb style_vermilion notitle'
}

# 100% = the target (or certainty)
set arrow 9100 from first 100, graph 0 to first 100, graph 1 nohead lc rgb '#333333' dt (4, 3) lw 1.5 back
set label 9101 econsim_text_target at first 100, graph 1 offset 0, 0.7 center font style_font_label textcolor rgb '#333333' \
    noenhanced front

# the notes right of the plot, in line with their bars (set label: the notes are text from files)
do for [i = 1:econsim_goal_labels_count] {
    set label (9200 + i) econsim_goal_notes[i] at graph 1, first i offset 0.8, 0 left font style_font_label \
        textcolor rgb '#333333' noenhanced front
}
eval 'plot ' . layers[3:]
