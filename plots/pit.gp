# pit.gp: the back-test's PIT histogram: for every point compared, the share of the
# ensemble's paths below the actual, in ten bins. Calibrated bands give a flat histogram
# (the dashed line); a U shape means bands too narrow, a hump too wide, a slope a bias.
#
# Set by econsim (besides style.gp's variables):
#   $econsim_pit        bin_centre (percent) count (ten rows)
#   econsim_pit_expected  points / 10, the height of a flat histogram
#   econsim_pit_max       the tallest bin
#   econsim_text_bins, econsim_text_flat, econsim_text_xlabel: the key and the x axis label

set xlabel econsim_text_xlabel noenhanced
unset ylabel
set xrange [0:100]
set xtics 0, 10, 100
set format x '%.0f%%'
set format y '%g'
set ytics 1
set yrange [0 : (econsim_pit_max > econsim_pit_expected ? econsim_pit_max : econsim_pit_expected) * 1.15 + 0.5]
set bmargin style_bmargin + 1.2  # the x axis label above the key
set style fill solid 0.6 border rgb style_blue
set boxwidth 9
plot $econsim_pit using 1:2 with boxes lc rgb style_sky title econsim_text_bins, \
     econsim_pit_expected with lines lc rgb style_vermilion dt (6, 4) lw 1.5 title econsim_text_flat
