# pit.gp: the back-test's PIT histogram: for every point compared, the share of the
# ensemble's paths below the actual, in ten bins. Calibrated bands give a flat histogram
# (the dashed line); a U shape means bands too narrow, a hump too wide, a slope a bias.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_pit        bin_centre count (ten rows)
#   econsim_pit_expected  points / 10, the height of a flat histogram
#   econsim_pit_max       the tallest bin

key_bins = '各区间的实际值个数'
key_flat = '校准良好时的高度'

set title econsim_title noenhanced
set xlabel 'PIT: 预测路径中低于实际值的比例' noenhanced
unset ylabel
set xrange [0:1]
set xtics 0, 0.1, 1
set format x '%.1f'
set format y '%g'
set ytics 1
set yrange [0 : (econsim_pit_max > econsim_pit_expected ? econsim_pit_max : econsim_pit_expected) * 1.15 + 0.5]
set style fill solid 0.6 border rgb style_blue
set boxwidth 0.09
plot $econsim_pit using 1:2 with boxes lc rgb style_sky title key_bins, \
     econsim_pit_expected with lines lc rgb style_vermilion dt (6, 4) lw 1.5 title key_flat
