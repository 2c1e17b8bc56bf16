import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { clipGradNorm } from './clip_grad_norm';

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
});
