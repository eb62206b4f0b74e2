#!/usr/bin/env bash
# Sets everything up, then runs roadsafe's main job on the shipped Cambridgeshire data: the KSI table
# by financial year, then the two-page board report (KSI table, performance block, trend chart,
# hotspot map) written to cambridgeshire_report.pdf, and beside it the board's dashboard (one offline HTML
# file: trend, performance, when / who / where with filters, rates against GB and similar authorities).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/roadsafe trends --dataset cambridgeshire --by financial_year --quiet
.venv/bin/roadsafe report --dataset cambridgeshire --out cambridgeshire_report.pdf
.venv/bin/roadsafe dashboard --dataset cambridgeshire --out cambridgeshire_dashboard.html --quiet
