#!/usr/bin/env bash
# Full CoNLL-2003 NER run: a randomly initialised BERT (default bert-tiny) trained on train.txt,
# dev entity F1 (seqeval) after every epoch, on the wasm backend with @attn/tensor-native's kernels.
# Runs from TypeScript source through tools/bundle-app.mjs, so no package needs building first.
#
#   tools/run-ner-conll.sh [out-dir] [extra attn-ner train flags...]
#   nohup tools/run-ner-conll.sh /tmp/ner-conll > /tmp/ner-conll.log 2>&1 &
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${CONLL_DIR:-$root/../shared/data/conll2003}"
out="${1:-/tmp/ner-conll}"
shift || true
. "$root/tools/app-run.sh"
prepare_app_run ner "$root/fixtures/tokenizers/bert-base-cased/vocab.txt"
start=$(date +%s)
node "$bundle" train \
  --train "$data/train.txt" --dev "$data/valid.txt" \
  "${model_flags[@]}" \
  --out "$out" --backend "$ATTN_BACKEND" \
  --lr 1e-3 --batch-size 32 --epochs 12 --warmup-ratio 0.06 --weight-decay 0.01 \
  --dropout 0.1 --patience 3 --max-length 128 --seed 42 --logging-steps 100 "$@"
echo "wall time: $(( $(date +%s) - start )) s"
grep '"eval_f1"' "$out/log.jsonl" | node -e 'let n=0;require("readline").createInterface({input:process.stdin}).on("line",l=>{const e=JSON.parse(l);console.log(`epoch ${(++n)}: dev F1 ${(100*e.eval_f1).toFixed(2)} (step ${e.step}, ${e.time})`)})'
