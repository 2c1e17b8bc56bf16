#!/bin/sh
# The hand-off end to end on one machine, as recorded in README.md: attn fine-tunes a tiny BERT briefly, the
# model and SST-2 go to PyTorch, torchrun trains 20 steps in 2 processes (DDP, gloo, CPU), attn loads the result,
# compares its dev logits with PyTorch's, evaluates it and exports it to ONNX.
# Usage: tools/handoff/run-example.sh WORK_DIR [PYTHON_VENV]   (packages and apps built; venv with torch + transformers)
set -eu
work=${1:?usage: run-example.sh WORK_DIR [PYTHON_VENV]}
venv=${2:-/tmp/hfvenv}
repo=$(cd "$(dirname "$0")/../.." && pwd)
data=$repo/apps/classify/data
mkdir -p "$work"

echo "== 1. attn: fine-tune models/attn-bert-tiny on 2,000 SST-2 sentences (1 epoch)"
node "$repo/apps/classify/dist/cli.js" train --model "$repo/models/attn-bert-tiny" --train "$data/sst2-train-4k.tsv" \
  --limit 2000 --epochs 1 --batch-size 32 --max-length 64 --out "$work/attn-run" | tail -3

echo "== 2. hand-off folder: the model as saved, SST-2 tokenized by attn, the same hyperparameters"
node "$repo/tools/handoff/prepare.mjs" --model "$work/attn-run" --config "$work/attn-run/train_config.json" \
  --train "$data/sst2-train-4k.tsv" --dev "$data/sst2-dev.tsv" --out "$work/handoff" --max-steps 20 --batch-size 8

echo "== 3. torchrun --nproc_per_node 2 (gloo, CPU), 20 steps"
(cd "$work/handoff" && PATH="$venv/bin:$PATH" OMP_NUM_THREADS=1 torchrun --nproc_per_node 2 train.py > torchrun.log 2>&1)
"$venv/bin/python" -c "
import json; d = json.load(open('$work/handoff/result/log_history.json'))
steps = [h for h in d['log_history'] if 'loss' in h]
print('world_size', d['world_size'], 'backend', d['backend'], 'steps', len(steps), 'loss first', steps[0]['loss'], 'last', steps[-1]['loss'], 'train_loss', d['log_history'][-1]['train_loss'])"

echo "== 4. attn loads the result and compares with PyTorch's dev logits"
node "$repo/tools/handoff/compare.mjs" "$work/handoff" --backend cpu

echo "== 5. attn eval and export on the result, unchanged"
node "$repo/apps/classify/dist/cli.js" eval --model "$work/handoff/result" --data "$data/sst2-dev.tsv" --max-length 64 | grep -E "accuracy|macro"
node "$repo/apps/classify/dist/cli.js" export --model "$work/handoff/result" --out "$work/onnx/model.onnx"
