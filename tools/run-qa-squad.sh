#!/usr/bin/env bash
# SQuAD run: a randomly initialised bert-tiny trained on 30 of the 36 articles in
# squad-v1.1-dev-part-train.json (doc stride: 384 tokens, stride 128), EM / F1 on the other 6 after
# every epoch, on the wasm backend with @attn/tensor-native's kernels.
# Runs from TypeScript source through tools/bundle-app.mjs, so no package needs building first.
#
#   tools/run-qa-squad.sh [out-dir] [extra attn-qa train flags...]
#   nohup tools/run-qa-squad.sh /tmp/qa-squad > /tmp/qa-squad.log 2>&1 &
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${SQUAD_DIR:-$root/../shared/data/squad}"
out="${1:-/tmp/qa-squad}"
shift || true
. "$root/tools/app-run.sh"
prepare_app_run qa "$root/fixtures/tokenizers/bert-base-uncased/tokenizer.json"
start=$(date +%s)
node "$bundle" train \
  --train "$data/squad-v1.1-dev-part-train.json" --dev-split-articles 6 \
  "${model_flags[@]}" \
  --out "$out" --backend "$ATTN_BACKEND" \
  --max-length 384 --stride 128 --lr 1e-3 --batch-size 32 --epochs 2 --warmup-ratio 0.1 --weight-decay 0.01 \
  --dropout 0.1 --patience 0 --seed 42 --logging-steps 20 "$@"
echo "wall time: $(( $(date +%s) - start )) s"
grep '"eval_exact_match"' "$out/log.jsonl" | node -e 'require("readline").createInterface({input:process.stdin}).on("line",l=>{const e=JSON.parse(l);console.log(`epoch ${e.epoch}: dev EM ${e.eval_exact_match.toFixed(2)} F1 ${e.eval_f1.toFixed(2)} (step ${e.step}, ${e.time})`)})'
