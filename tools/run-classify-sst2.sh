#!/usr/bin/env bash
# Full SST-2 run of apps/classify: all 67,349 training sentences, dev (872) after every epoch.
# Usage: tools/run-classify-sst2.sh [out-dir] [extra train flags...]
# Needs the shared data folder beside the repo (../shared/data/sst2) and a build (pnpm run build).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/classify-sst2-full}
shift || true
data=${SST2_DIR:-../shared/data/sst2}
start=$(date +%s)
node apps/classify/dist/cli.js train \
  --train "$data/train.tsv" --dev "$data/dev.tsv" \
  --model "${MODEL:-bert-tiny}" --out "$out" \
  --epochs "${EPOCHS:-3}" --lr "${LR:-1e-3}" --batch-size 32 --patience 2 "$@"
echo "wall time: $(( $(date +%s) - start )) s"
