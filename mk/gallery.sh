#!/usr/bin/env bash
# mk/gallery.sh CHART_LAYOUT_DIR DOCS_DIR: copies one chart of each kind, drawn in Chinese at
# 1000x600 by tests/chart_layout.sh (make chart-layout), into DOCS_DIR/gallery/ for the README's
# gallery, and the target scenario's revenue chart to DOCS_DIR/chart-fiscal-revenue.png for
# docs/tour.md. `make gallery` runs it; commit the changed PNGs with the change that changed them.
set -eu
from=$1 docs=$2
# gallery name <- the chart's file in CHART_LAYOUT_DIR (run folder and chart, joined by '-')
charts="trajectory:compare-linzhou-2023-target-fiscal_revenue
fan:risk-fan-gdp
goals-probability:risk-goals
peers:risk-peers-fiscal_revenue
compare:compare-comparison-compare-gdp
sobol:linzhou-sensitivity-sobol-gdp-2025
morris:linzhou-morris-morris-gdp-2025
tornado:linzhou-oat-tornado-gdp-2025
heatmap:linzhou-grid-heatmap-gdp-2025
backtest:backtest-backtest-gdp
pit:backtest-backtest-pit
discover:linzhou-discover-discover-peeling-1"
mkdir -p "$docs/gallery"
for entry in $charts; do
    name=${entry%%:*} file=${entry#*:}
    if [ ! -f "$from/$file.png" ]; then
        echo "mk/gallery.sh: $from/$file.png is missing (run make chart-layout)" >&2
        exit 1
    fi
    cp "$from/$file.png" "$docs/gallery/$name.png"
done
cp "$from/compare-linzhou-2023-target-fiscal_revenue.png" "$docs/chart-fiscal-revenue.png"
echo "gallery: $(echo "$charts" | wc -l) charts in $docs/gallery/"
