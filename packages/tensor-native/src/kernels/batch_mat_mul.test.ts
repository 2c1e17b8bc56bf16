import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { loadNativeAddon } from '../native_addon';
import { activeNativeKernels, registerNativeKernels, unregisterNativeKernels } from '../register_native_kernels';
import { nativeMatMul, planBatches } from './batch_mat_mul';
import { expectClose, randomValues as random } from './test_support';
import { heapBuffer } from '../wasm_heap';

const addon = loadNativeAddon();

/** float64 reference with NumPy batch broadcasting. */
function reference(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], ta: boolean, tb: boolean) {
  const ar = aShape.length;
  const br = bShape.length;
  const m = ta ? aShape[ar - 1]! : aShape[ar - 2]!;
  const k = ta ? aShape[ar - 2]! : aShape[ar - 1]!;
  const n = tb ? bShape[br - 2]! : bShape[br - 1]!;
  const plan = planBatches(aShape.slice(0, -2), bShape.slice(0, -2));
  const out = new Float64Array(plan.batch * m * n);
  for (let bi = 0; bi < plan.batch; bi++) {
    const ai = plan.aIndex ? plan.aIndex[bi]! : plan.batchA === 1 ? 0 : bi;
    const bj = plan.bIndex ? plan.bIndex[bi]! : plan.batchB === 1 ? 0 : bi;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? a[ai * m * k + p * m + i]! : a[ai * m * k + i * k + p]!;
          const bv = tb ? b[bj * k * n + j * k + p]! : b[bj * k * n + p * n + j]!;
          s += av * bv;
        }
        out[bi * m * n + i * n + j] = s;
      }
  }
  return { values: out, shape: [...plan.outBatchShape, m, n] };
}

describe.skipIf(!addon)('native BatchMatMul on the wasm backend', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  it('is registered, and registering again changes nothing', () => {
    expect(activeNativeKernels(tf)).toContain('BatchMatMul');
    const before = tf.getKernel('BatchMatMul', 'wasm');
    expect(registerNativeKernels(tf)).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(before);
  });

  // [aShape, bShape, transposeA, transposeB]: odd sizes, size-1 dims, edge tiles of every
  // micro-kernel, k above the 256 block, broadcast batches of every kind.
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[1, 1], [1, 1], false, false],
    [[3, 5], [5, 7], false, false],
    [[13, 300], [300, 33], false, false],
    [[300, 13], [300, 33], true, false],
    [[13, 300], [33, 300], false, true],
    [[300, 13], [33, 300], true, true],
    [[65, 1], [1, 97], false, false],
    [[97, 40], [40, 1], false, false],
    [[1, 513], [513, 70], false, false],
    [[4, 17, 9], [4, 9, 31], false, false],
    [[4, 9, 17], [4, 31, 9], true, true],
    [[2, 3, 12, 8], [2, 3, 12, 8], false, true],
    [[6, 16, 5], [5, 7], false, false],
    [[16, 5], [3, 16, 7], true, false],
    [[2, 1, 6, 4], [1, 3, 4, 5], false, false],
    [[3, 1, 4, 6], [5, 4, 7], true, false],
    [[1, 5, 8], [4, 8, 3], false, false],
    // Above 1 MFLOP: split over threads by rows, by columns, and by broadcast batch.
    [[300, 150], [97, 300], true, true],
    [[40, 200], [200, 260], false, false],
    [[2, 1, 70, 96], [1, 3, 96, 80], false, false],
    // At most 8 rows of an untransposed A (a decoder step): B streamed row by row, 16-column vectors, scalar
    // tail columns, k not a multiple of 4, batched, and above 1 MFLOP (split over threads by columns) ...
    [[8, 70], [70, 77], false, false],
    [[5, 33], [33, 50], false, false],
    [[1, 3], [3, 17], false, false],
    [[2, 6, 1, 20], [2, 6, 20, 37], false, false],
    [[1, 600], [600, 1000], false, false],
    [[8, 301], [301, 500], false, false],
    // ... and with B transposed (a tied LM head, Q·Kᵀ): dot products of rows, 4 rows of B at a time, k and N tails.
    [[3, 100], [130, 100], false, true],
    [[1, 17], [5, 17], false, true],
    [[2, 6, 1, 20], [2, 6, 37, 20], false, true],
    [[7, 300], [5003, 300], false, true],
  ];
  for (const [aShape, bShape, ta, tb] of cases) {
    it(`[${aShape}]${ta ? 'ᵀ' : ''} · [${bShape}]${tb ? 'ᵀ' : ''} matches a float64 reference`, () => {
      const av = random(aShape, aShape.length * 7 + aShape[0]!);
      const bv = random(bShape, bShape.length * 13 + bShape[0]!);
      const expected = reference(av, aShape, bv, bShape, ta, tb);
      const out = tf.tidy(() => tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb));
      expect(out.shape).toEqual(expected.shape);
      expectClose(out.dataSync(), expected.values);
      out.dispose();
    });
  }

  it('takes small plain 2-D products too (a classifier head: 32 × 256 · 256 × 2, and 1 × 1 · 1 × 1)', () => {
    // Before 2026-12-07 products under 2·48³ FLOPs were declined (null: stock XNNPACK, 10–60× slower there).
    let calls = 0;
    const counting = { ...addon!, gemm: (...args: Parameters<NonNullable<typeof addon>['gemm']>) => (calls++, addon!.gemm(...args)) };
    for (const [aShape, bShape] of [
      [[32, 256], [256, 2]],
      [[1, 1], [1, 1]],
    ] as const) {
      const av = random([...aShape], 7);
      const bv = random([...bShape], 8);
      const [a, b] = [tf.tensor(av, [...aShape]), tf.tensor(bv, [...bShape])];
      const info = nativeMatMul(counting as NonNullable<typeof addon>, tf.backend(), a, b, false, false);
      expect(info).not.toBeNull();
      const out = tf.engine().makeTensorFromTensorInfo(info!);
      expectClose(out.dataSync(), reference(av, [...aShape], bv, [...bShape], false, false).values);
      tf.dispose([a, b, out]);
    }
    expect(calls).toBe(2);
  });

  it('agrees with the stock wasm kernel where stock broadcasting is defined', () => {
    const pairs: Array<[number[], number[], boolean, boolean]> = [
      [[64, 48], [48, 80], false, false],
      [[3, 20, 24], [3, 20, 18], true, false],
      [[3, 20, 24], [3, 18, 24], false, true],
      [[2, 20, 24], [24, 18], false, false],
    ];
    for (const [aShape, bShape, ta, tb] of pairs) {
      const a = tf.tensor(random(aShape, 5), aShape);
      const b = tf.tensor(random(bShape, 6), bShape);
      const native = tf.matMul(a, b, ta, tb);
      unregisterNativeKernels(tf);
      const stock = tf.matMul(a, b, ta, tb);
      registerNativeKernels(tf);
      expect(native.shape).toEqual(stock.shape);
      expectClose(native.dataSync(), stock.dataSync());
      tf.dispose([a, b, native, stock]);
    }
  });

  it('handles empty dims: zero rows, zero batch, and k = 0 (all zeros)', () => {
    const r = tf.tidy(() => {
      const noRows = tf.matMul(tf.zeros([0, 5]), tf.ones([5, 3]), false, false);
      const noBatch = tf.matMul(tf.zeros([0, 4, 5]), tf.ones([0, 5, 3]), false, false);
      const noK = tf.matMul(tf.ones([4, 0]), tf.ones([0, 130]), false, false);
      const noKt = tf.matMul(tf.ones([0, 70]), tf.ones([3, 0]), true, true);
      return [noRows.shape, noBatch.shape, noK.shape, Array.from(noK.dataSync()), noKt.shape, Array.from(noKt.dataSync())];
    });
    expect(r[0]).toEqual([0, 3]);
    expect(r[1]).toEqual([0, 4, 3]);
    expect(r[2]).toEqual([4, 130]);
    expect(r[3]).toEqual(new Array(4 * 130).fill(0));
    expect(r[4]).toEqual([70, 3]);
    expect(r[5]).toEqual(new Array(210).fill(0));
  });

  it('stays correct when the wasm memory grows between and during calls', () => {
    const backend = tf.backend();
    const a = tf.tensor(random([40, 30], 1), [40, 30]);
    const b = tf.tensor(random([40, 50], 2), [40, 50]);
    const expected = reference(a.dataSync() as Float32Array, [40, 30], b.dataSync() as Float32Array, [40, 50], true, false);
    const first = tf.matMul(a, b, true, false);
    expectClose(first.dataSync(), expected.values);
    const heapBefore = heapBuffer(backend);
    // An allocation bigger than the whole current heap forces memory.grow (a new ArrayBuffer).
    const big = tf.zeros([Math.ceil(heapBefore.byteLength / 4) + 1024]);
    expect(heapBuffer(backend)).not.toBe(heapBefore);
    const second = tf.matMul(a, b, true, false);
    expectClose(second.dataSync(), expected.values);
    // Now make the kernel's own output grow the heap inside the call.
    const heapMid = heapBuffer(backend);
    const rows = Math.ceil(Math.sqrt(heapMid.byteLength / 4)) + 64;
    const u = tf.ones([rows, 1]);
    const v = tf.fill([1, rows], 2);
    const outer = tf.matMul(u, v, false, false);
    expect(heapBuffer(backend)).not.toBe(heapMid);
    const vals = outer.dataSync();
    expect(vals.length).toBe(rows * rows);
    expect(vals[0]).toBe(2);
    expect(vals[vals.length - 1]).toBe(2);
    expect(vals.every((x) => x === 2)).toBe(true);
    tf.dispose([a, b, first, second, big, u, v, outer]);
  });

  it('gives the same gradients as stock kernels and leaks no tensors', () => {
    // tfjs's BatchMatMul gradient does not reduce broadcast batch dims, so batches match here.
    const x = tf.tensor(random([2, 7, 9], 3), [2, 7, 9]);
    const w = tf.tensor(random([2, 9, 11], 4), [2, 9, 11]);
    const loss = (xx: tf.Tensor, ww: tf.Tensor) => {
      const batched = tf.sum(tf.square(tf.matMul(xx, ww)));
      const flat = tf.sum(tf.square(tf.matMul(tf.reshape(xx, [14, 9]), tf.reshape(tf.slice(ww, [0, 0, 0], [1, 9, 11]), [9, 11]))));
      return tf.add(batched, flat);
    };
    const grads = tf.grads(loss);
    const before = tf.memory().numTensors;
    const native = grads([x, w]);
    native.forEach((g) => g.dispose());
    expect(tf.memory().numTensors).toBe(before);
    const native2 = grads([x, w]);
    unregisterNativeKernels(tf);
    const stock = grads([x, w]);
    registerNativeKernels(tf);
    expectClose(native2[0]!.dataSync(), stock[0]!.dataSync());
    expectClose(native2[1]!.dataSync(), stock[1]!.dataSync());
    tf.dispose([...native2, ...stock, x, w]);
  });
});

describe('planBatches', () => {
  it('broadcasts right-aligned and builds index maps only when needed', () => {
    const same = planBatches([4], [4]);
    expect(same).toMatchObject({ outBatchShape: [4], batch: 4, aIndex: null, bIndex: null });
    const one = planBatches([], [3, 2]);
    expect(one).toMatchObject({ outBatchShape: [3, 2], batch: 6, batchA: 1, aIndex: null, bIndex: null });
    const cross = planBatches([2, 1], [1, 3]);
    expect(cross.outBatchShape).toEqual([2, 3]);
    expect(Array.from(cross.aIndex!)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(cross.bIndex!)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(() => planBatches([2], [3])).toThrow(/do not broadcast/);
  });
});

describe.skipIf(!addon)('native _FusedMatMul (tf.fused.matMul)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    registerNativeKernels(tf);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  // [aShape, bShape, transposeA, transposeB, biasShape | null, activation]
  const cases: Array<[number[], number[], boolean, boolean, number[] | null, 'linear' | 'relu']> = [
    [[3, 20, 24], [3, 24, 18], false, false, [18], 'linear'],
    [[3, 24, 20], [3, 18, 24], true, true, [18], 'relu'],
    [[2, 33, 17], [17, 65], false, false, [1, 65], 'relu'],
    [[40, 30], [50, 30], false, true, [], 'linear'],
    [[64, 48], [48, 80], false, false, null, 'relu'],
    [[4, 16, 5], [5, 7], false, false, [4, 16, 1], 'linear'],
  ];
  for (const [as, bs, ta, tb, biasShape, activation] of cases) {
    it(`[${as}]${ta ? 'ᵀ' : ''}·[${bs}]${tb ? 'ᵀ' : ''} + bias [${biasShape ?? '-'}], ${activation}, matches matMul + add (+ relu)`, () => {
      const av = random(as, 3);
      const bv = random(bs, 4);
      const expected = reference(av, as, bv, bs, ta, tb);
      const biasV = biasShape ? random(biasShape, 5) : null;
      const out = tf.tidy(() =>
        tf.fused.matMul({
          a: tf.tensor(av, as),
          b: tf.tensor(bv, bs),
          transposeA: ta,
          transposeB: tb,
          bias: biasV && biasShape ? tf.tensor(biasV, biasShape) : undefined,
          activation,
        }),
      );
      const want = tf.tidy(() => {
        let y = tf.tensor(Float32Array.from(expected.values), expected.shape);
        if (biasV && biasShape) y = tf.add(y, tf.tensor(biasV, biasShape));
        return activation === 'relu' ? tf.relu(y) : y;
      });
      expect(out.shape).toEqual(want.shape);
      expectClose(out.dataSync(), want.dataSync());
      tf.dispose([out, want]);
    });
  }
});
