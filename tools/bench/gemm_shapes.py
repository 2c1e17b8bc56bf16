# torch.matmul GFLOP/s on the GEMM shapes of a BERT training step, for tools/bench/gemm_shapes.mjs.
# usage: python gemm_shapes.py SHAPES_JSON THREADS  -> one JSON line {name: seconds per call}
import json, sys, time
import torch

shapes = json.loads(sys.argv[1])
torch.set_num_threads(int(sys.argv[2]))
out = {}
for name, b, m, n, k, ta, tb in shapes:
    A = torch.randn(b, k, m) if ta else torch.randn(b, m, k)
    B = torch.randn(b, n, k) if tb else torch.randn(b, k, n)
    a = A.transpose(1, 2) if ta else A
    bb = B.transpose(1, 2) if tb else B
    run = (lambda: torch.matmul(a[0], bb[0])) if b == 1 else (lambda: torch.matmul(a, bb))
    flop = 2 * b * m * n * k
    reps = max(3, min(500, round(4e8 / flop)))
    for _ in range(3):
        run()
    best = float('inf')
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            run()
        best = min(best, (time.perf_counter() - t0) / reps)
    out[name] = best
print(json.dumps(out))
