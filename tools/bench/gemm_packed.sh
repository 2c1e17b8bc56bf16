#!/usr/bin/env bash
# One-core packed-weight GEMM, attn against onnxruntime's MLAS, in one run: builds gemm_packed.c, runs it and
# gemm_packed_ort.py alternately (ROUNDS times, default 3), and prints the CPU, each side's median GFLOP/s per shape
# and the ratio attn / ORT. Needs gcc and a Python with onnx + onnxruntime (PY, default /tmp/hfvenv/bin/python).
#   bash tools/bench/gemm_packed.sh [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
TH=${1:-1}; ROUNDS=${ROUNDS:-3}; PY=${PY:-/tmp/hfvenv/bin/python}
S=packages/tensor-native/native/src; BIN=$(mktemp -d)/gemm_packed
gcc -O3 -std=c11 -D_GNU_SOURCE -fno-math-errno -I$S tools/bench/gemm_packed.c $S/gemm.c $S/thread_pool.c -o "$BIN" -pthread -lm
OUT=$(mktemp -d)
for r in $(seq 1 "$ROUNDS"); do
  "$BIN" "$TH" > "$OUT/attn.$r"
  "$PY" tools/bench/gemm_packed_ort.py "$TH" > "$OUT/ort.$r"
done
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $TH thread(s), median of $ROUNDS alternating rounds"
"$PY" - "$OUT" "$ROUNDS" <<'PYEOF'
import sys, re, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
def read(side):
    vals = {}
    for r in range(1, rounds + 1):
        for line in open(f'{out}/{side}.{r}'):
            m = re.match(r'(\d+ x \d+ x \d+): ([\d.]+) GFLOP/s', line)
            if m: vals.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in vals.items()}
a, o = read('attn'), read('ort')
print(f"{'m x n x k':>18}  {'attn':>7}  {'ORT':>7}  attn/ORT")
for k in a:
    if k in o: print(f'{k:>18}  {a[k]:7.1f}  {o[k]:7.1f}  {a[k]/o[k]:.2f}')
PYEOF
