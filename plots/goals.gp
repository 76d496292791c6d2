# goals.gp: every goal of a scenario as a bar of the value reached in its year, in percent of
# its target (100% = exactly met): met goals solid green, goals not met vermilion with a
# pattern, so the two differ without colour too. Goals top to bottom in the scenario's order.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_met, $econsim_unmet   position percent met(1/0): one row per goal with a value
#   econsim_met_points, econsim_unmet_points   rows in each
#   $econsim_positions             position percent (0 when none): every goal
#   econsim_goal_labels[]          the goals' labels (the y axis), econsim_goal_labels_count
#   econsim_label_columns          the widest label, in character columns (the left margin)
#   econsim_goal_notes[]           "value / target unit (year) 达成|未达成" beside each bar
#   econsim_goal_percents[]        percent of target of each goal (NaN: no value)
#   econsim_x_at_least             the largest percent (at least 100)

key_met   = '已达成'
key_unmet = '未达成'
bar_half_height = 0.32

set title econsim_title noenhanced
set xlabel '目标年份的值 / 目标 (%)'
unset ylabel
set yrange [econsim_goal_labels_count + 0.6 : 0.4]
set xrange [0 : (econsim_x_at_least * 1.45) < *]
set xtics auto
set format x '%.0f%%'
set ytics 1 scale 0
set grid noytics xtics
set lmargin econsim_label_columns + 3
set bmargin 8.6  # the x axis label above the key
set style fill solid 0.85 border -1

# the goals' labels on the y axis: ytic() takes text as it is (set ytics ('...' 1) would read
# it as a format)
layers = ', $econsim_positions using (0):1:ytic(econsim_goal_labels[int($0) + 1]) with points ps 0 lc rgb "#ffffff" notitle'
if (econsim_met_points > 0) {
    layers = layers . ', $econsim_met using ($2 / 2):1:($2 / 2):(bar_half_height) with boxxyerror' \
                    . ' fs solid 0.85 border rgb style_green lc rgb style_green title key_met'
}
if (econsim_unmet_points > 0) {
    layers = layers . ', $econsim_unmet using ($2 / 2):1:($2 / 2):(bar_half_height) with boxxyerror' \
                    . ' fs pattern 2 border rgb style_vermilion lc rgb style_vermilion title key_unmet'
}

# 100% = the target
set arrow 9100 from first 100, graph 0 to first 100, graph 1 nohead lc rgb '#333333' dt (4, 3) lw 1.5 back
set label 9101 '目标 100%' at first 100, graph 1 offset 0, 0.7 center font ',9' textcolor rgb '#333333' front

# the notes beside the bars (set label: the notes are text from files)
do for [i = 1:econsim_goal_labels_count] {
    note_x = econsim_goal_percents[i] == econsim_goal_percents[i] ? econsim_goal_percents[i] : 0
    set label (9200 + i) econsim_goal_notes[i] at first note_x, first i offset 0.6, 0 left font ',9' \
        textcolor rgb '#333333' noenhanced front boxed
}
eval 'plot ' . layers[3:]
