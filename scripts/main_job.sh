#!/usr/bin/env bash
# Sets everything up, then runs roadsafe's main job on the shipped Cambridgeshire data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/roadsafe trends --dataset cambridgeshire --by financial_year
