import { tf } from '../tf';
import type { TensorInfo } from './kernel_backend';
import { releaseWasmView, wasmHeapArray, wasmHeapOffset, wasmMatMul2d, wasmOutput, wasmViewAt } from './wasm_internals';
import { transposeLastTwo } from './transpose_last_two';

type MatMulArgs = {
  inputs: { a: TensorInfo; b: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean };
  backend: { disposeData(dataId: object): void };
};

const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/**
 * wasm BatchMatMul that always lands on the XNNPACK path. That path is taken only for one plain,
 * untransposed 2-D product; transposed or batched operands otherwise run a naive loop ~15x slower.
 * Here transposed operands are transposed explicitly (a tiled JS transpose on the heap), then each batch entry is
 * multiplied as its own 2-D product on zero-copy views into the heap (tensor ids registered at an
 * offset inside the operand's buffer, released without freeing).
 */
export function makeBatchMatMulWasm(stockConfig: tf.KernelConfig): tf.KernelConfig {
  const stock = stockConfig.kernelFunc;
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    // The stock kernel is still called for plain 2-D products and needs its own set-up.
    setupFunc: stockConfig.setupFunc,
    kernelFunc: ((args: MatMulArgs) => {
      const { inputs, attrs, backend } = args;
      let { a, b } = inputs;
      const { transposeA, transposeB } = attrs;
      const ra = a.shape.length;
      const rb = b.shape.length;
      const batchA = size(a.shape.slice(0, -2));
      const batchB = size(b.shape.slice(0, -2));
      const plain2d = !transposeA && !transposeB && batchA === 1 && batchB === 1;
      const empty = size(a.shape) === 0 || size(b.shape) === 0;
      const outerShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      // Handled: equal batches, or one side a single matrix. Cross broadcasts ([3,1] with [1,3]) go to stock.
      const simpleBatch = (batchA === batchB || batchA === 1 || batchB === 1) && size(outerShape) === Math.max(batchA, batchB);
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || plain2d || empty || !simpleBatch) {
        return stock(args as unknown as Parameters<tf.KernelFunc>[0]);
      }
      const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
      const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
      const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
      const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
      if (k !== kb) {
        throw new Error(`matMul: inner dimensions ${k} and ${kb} of shapes [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) must match.`);
      }
      const temps: TensorInfo[] = [];
      const explicitT = (x: TensorInfo, batch: number, rows: number, cols: number): TensorInfo => {
        const t = wasmOutput(backend, [batch, cols, rows], 'float32');
        temps.push(t);
        // Views only after the allocation: a heap grow there detaches older views.
        const f32 = (v: TensorInfo) => wasmHeapArray(backend, v) as Float32Array;
        transposeLastTwo(f32({ ...x, shape: [batch, rows, cols] }), f32(t), batch, rows, cols);
        return t;
      };
      if (transposeA) a = explicitT(a, batchA, k, m);
      if (transposeB) b = explicitT(b, batchB, n, k);
      const batch = Math.max(batchA, batchB);
      const out = wasmOutput(backend, [...outerShape, m, n], 'float32');
      const aOff = wasmHeapOffset(backend, a)!;
      const bOff = wasmHeapOffset(backend, b)!;
      const oOff = wasmHeapOffset(backend, out)!;
      // A shared 2-D right operand: fold the batch into rows, one product.
      const fold = batchB === 1;
      const rows = fold ? batch * m : m;
      const loops = fold ? 1 : batch;
      for (let i = 0; i < loops; i++) {
        const av = wasmViewAt(backend, [rows, k], 'float32', aOff + (batchA === 1 ? 0 : i * m * k * 4));
        const bv = wasmViewAt(backend, [k, n], 'float32', bOff + i * k * n * 4);
        const ov = wasmViewAt(backend, [rows, n], 'float32', oOff + i * m * n * 4);
        wasmMatMul2d(backend, av, bv, ov);
        // A view owns no memory: unregister it, never free it.
        for (const v of [av, bv, ov]) releaseWasmView(backend, v);
      }
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    }) as unknown as tf.KernelFunc,
  };
}
