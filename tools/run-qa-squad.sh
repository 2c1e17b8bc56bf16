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
# A private directory per run: two runs at once must not overwrite each other's addon copy (a .node
# file rewritten under a running process kills it with SIGBUS).
bundle="$(mktemp -d "${TMPDIR:-/tmp}/attn-run-qa-XXXXXX")/attn-qa.cjs"
node "$root/tools/bundle-app.mjs" qa "$bundle"
# A private copy of the addon: a rebuild of the shared file while it is mapped kills the run (SIGBUS).
addon="${ATTN_NATIVE_PATH:-$root/packages/tensor-native/prebuilds/linux-x64/attn_native.node}"
if [ -f "$addon" ]; then cp "$addon" "$(dirname "$bundle")/attn_native.node"; export ATTN_NATIVE_PATH="$(dirname "$bundle")/attn_native.node"; fi
export ATTN_BACKEND="${ATTN_BACKEND:-wasm}"
# MODEL: a preset (random weights; TOKENIZER or the vocabulary below) or an HF model directory
# (its own tokenizer unless TOKENIZER is set).
model="${MODEL:-bert-tiny}"
model_flags=(--model "$model")
case "$model" in
  bert-tiny|bert-mini|bert-small|bert-medium|bert-base) model_flags+=(--tokenizer "${TOKENIZER:-$root/fixtures/tokenizers/bert-base-uncased/tokenizer.json}") ;;
  *) [ -n "${TOKENIZER:-}" ] && model_flags+=(--tokenizer "$TOKENIZER") ;;
esac
start=$(date +%s)
node "$bundle" train \
  --train "$data/squad-v1.1-dev-part-train.json" --dev-split-articles 6 \
  "${model_flags[@]}" \
  --out "$out" --backend "$ATTN_BACKEND" \
  --max-length 384 --stride 128 --lr 1e-3 --batch-size 32 --epochs 2 --warmup-ratio 0.1 --weight-decay 0.01 \
  --dropout 0.1 --patience 0 --seed 42 --logging-steps 20 "$@"
echo "wall time: $(( $(date +%s) - start )) s"
grep '"eval_exact_match"' "$out/log.jsonl" | node -e 'require("readline").createInterface({input:process.stdin}).on("line",l=>{const e=JSON.parse(l);console.log(`epoch ${e.epoch}: dev EM ${e.eval_exact_match.toFixed(2)} F1 ${e.eval_f1.toFixed(2)} (step ${e.step}, ${e.time})`)})'
