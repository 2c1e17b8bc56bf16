import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { CONCAT_BELOW_ELEMENTS, clipGradNorm } from './clip_grad_norm';

const clip = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/reference/vectors/optim.json'), 'utf8')).grad_clip;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('clipGradNorm (torch clip_grad_norm_)', () => {
  it('scales by max_norm/(total+1e-6) using a given total norm (optim.json grad_clip)', () => {
    // optim.json's total norm covers every parameter; the file stores only the classifier's
    // gradients, so pad with one tensor carrying the rest of the squared norm.
    const names = ['classifier.bias', 'classifier.weight'];
    const known = names.reduce((s, n) => s + clip.grads[n].before.reduce((a: number, x: number) => a + x * x, 0), 0);
    const rest = Math.sqrt(clip.total_norm ** 2 - known);
    const grads = new Map<string, tf.Tensor>(names.map((n) => [n, tf.tensor(clip.grads[n].before)]));
    grads.set('rest', tf.tensor([rest]));
    const before = tf.memory().numTensors;
    const { totalNorm, grads: clipped } = clipGradNorm(grads, clip.max_norm);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(totalNorm - clip.total_norm) / clip.total_norm).toBeLessThan(1e-3);
    for (const n of names) {
      const got = clipped.get(n)!.dataSync();
      const want: number[] = clip.grads[n].after;
      const maxAbs = Math.max(...want.map(Math.abs));
      want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-3 * maxAbs));
    }
    clipped.forEach((t) => t.dispose());
  });

  it('leaves gradients under the limit untouched', () => {
    const g = tf.tensor([0.3, 0.4]);
    const { totalNorm, grads } = clipGradNorm(new Map([['a', g]]), 1);
    expect(totalNorm).toBeCloseTo(0.5, 6);
    expect(grads.get('a')).toBe(g);
    g.dispose();
  });

  it('sums big gradients one by one and small ones concatenated to the float64 norm, clipping each by the same factor', () => {
    // A BERT-like mix: one tensor above the concatenation threshold, many biases / matrices below it.
    const shapes = [[CONCAT_BELOW_ELEMENTS + 5], [128], [64, 32], [3], [1], [7, 7, 2]];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const values = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, rand));
    const want = Math.sqrt(values.reduce((t, v) => t + v.reduce((a, x) => a + x * x, 0), 0));
    const grads = new Map<string, tf.Tensor>(shapes.map((s, i) => [`p${i}`, tf.tensor(values[i]!, s)]));
    const before = tf.memory().numTensors;
    const { totalNorm, grads: clipped } = clipGradNorm(grads, 1);
    expect(tf.memory().numTensors).toBe(before);
    // float32 accumulation over ~66k terms: ~1e-6 relative.
    expect(Math.abs(totalNorm - want) / want).toBeLessThan(1e-5);
    shapes.forEach((s, i) => {
      const got = clipped.get(`p${i}`)!;
      expect(got.shape).toEqual(s);
      const d = got.dataSync();
      values[i]!.forEach((x, j) => expect(d[j]).toBeCloseTo(x / (want + 1e-6), 6));
    });
    clipped.forEach((t) => t.dispose());
  });
});
