# onnxruntime's MatMul (MLAS, constant weight prepacked) GFLOP/s on the shapes of gemm_packed.c, best of 5.
# usage: python tools/bench/gemm_packed_ort.py [threads]   (needs onnx and onnxruntime)
import onnx, numpy as np, onnxruntime as ort, time, sys
from onnx import helper, TensorProto, numpy_helper
th = int(sys.argv[1]) if len(sys.argv) > 1 else 1
for m, n, k in [(200,768,256),(200,256,256),(200,1024,256),(200,256,1024),(400,1024,256),(200,3072,768),(200,768,3072),(64,512,128),(64,128,512)]:
    W = numpy_helper.from_array((np.arange(k*n) % 5 * 0.1).astype(np.float32).reshape(k, n), 'W')
    g = helper.make_graph([helper.make_node('MatMul', ['A', 'W'], ['C'])], 'g', [helper.make_tensor_value_info('A', TensorProto.FLOAT, [m, k])], [helper.make_tensor_value_info('C', TensorProto.FLOAT, [m, n])], [W])
    mdl = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); mdl.ir_version = 8
    so = ort.SessionOptions(); so.intra_op_num_threads = th; so.inter_op_num_threads = 1
    s = ort.InferenceSession(mdl.SerializeToString(), so, providers=['CPUExecutionProvider'])
    A = (np.arange(m*k) % 7 * 0.1).astype(np.float32).reshape(m, k); reps = int(3e9 / (2*m*n*k)); best = 1e9
    out = [None]
    for r in range(5):
        t = time.perf_counter()
        for i in range(reps): s.run(['C'], {'A': A})
        best = min(best, (time.perf_counter() - t) / reps)
    print(f'{m} x {n} x {k}: {2*m*n*k/best/1e9:.1f} GFLOP/s (ORT)')
