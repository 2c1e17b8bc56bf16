import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { TransformerEncoder } from './transformer_encoder';
import { additiveAttentionMask } from './attention_mask';
import { checkpoint, isGradientCheckpointable } from './gradient_checkpoint';
import { Linear } from './linear';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const config = { numLayers: 3, hiddenSize: 16, numHeads: 2, intermediateSize: 32, hiddenDropout: 0.2, attentionDropout: 0.2 };

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Loss, gradients (parameters and input) and the bytes the tape holds right after the forward. */
function lossAndGrads(enc: TransformerEncoder, x: tf.Tensor, mask: tf.Tensor) {
  const params = enc.parameters();
  let heldBytes = 0;
  const before = tf.memory().numBytes;
  const { value, grads } = tf.tidy(() => {
    const f = () => {
      const h = enc.forward(x, { additiveMask: mask }).lastHiddenState;
      heldBytes = tf.memory().numBytes - before;
      // A loss that weights positions differently, so every gradient path matters.
      return tf.sum(tf.mul(tf.square(h), tf.range(0, h.size).reshape(h.shape).div(h.size)));
    };
    const r = tf.engine().gradients(f, [x, ...params]);
    return { value: r.value, grads: r.grads };
  });
  return { value, grads, heldBytes };
}

describe('gradient checkpointing (checkpoint)', () => {
  const x = () => tf.randomNormal([3, 7, 16], 0, 1, 'float32', 3);
  // The last sequence is fully padded: its rows see only -inf keys.
  const maskOf = () => additiveAttentionMask(tf.tensor2d([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]], undefined, 'int32'));

  it('gives the gradients of the plain forward (dropout on), for the input and every parameter', () => {
    const rng = new Generator(5);
    const enc = new TransformerEncoder(config, { rng }).train();
    const input = x();
    const mask = maskOf();
    const state = rng.getState();
    const plain = lossAndGrads(enc, input, mask);
    const afterPlain = rng.getState();
    rng.setState(state);
    enc.gradientCheckpointing = true;
    const ckpt = lossAndGrads(enc, input, mask);
    // The recomputation replays the masks and then leaves the generator where the forward left it.
    expect(rng.getState()).toEqual(afterPlain);
    expect(Math.abs(plain.value.dataSync()[0]! - ckpt.value.dataSync()[0]!)).toBeLessThan(1e-5);
    expect(plain.grads.length).toBe(1 + enc.parameters().length);
    for (let i = 0; i < plain.grads.length; i++) {
      expect(maxAbsDiff(plain.grads[i]!, ckpt.grads[i]!)).toBeLessThan(1e-5);
    }
    // The tape keeps each layer's input instead of its activations.
    expect(ckpt.heldBytes).toBeLessThan(plain.heldBytes / 4);
    tf.dispose([plain.value, ckpt.value, ...plain.grads, ...ckpt.grads, input, mask]);
    enc.dispose();
  });

  it('differs from the plain gradients when the masks are not replayed (the comparison can fail)', () => {
    const rng = new Generator(5);
    const enc = new TransformerEncoder(config, { rng }).train();
    const input = x();
    const mask = maskOf();
    const plain = lossAndGrads(enc, input, mask);
    enc.gradientCheckpointing = true; // the generator has moved on: other masks
    const ckpt = lossAndGrads(enc, input, mask);
    const worst = Math.max(...plain.grads.map((g, i) => maxAbsDiff(g!, ckpt.grads[i]!)));
    expect(worst).toBeGreaterThan(1e-3);
    tf.dispose([plain.value, ckpt.value, ...plain.grads, ...ckpt.grads, input, mask]);
    enc.dispose();
  });

  it('trains to the same losses over several optimizer steps, and leaks no tensor', () => {
    const run = (on: boolean) => {
      const rng = new Generator(9);
      const enc = new TransformerEncoder(config, { rng }).train();
      enc.gradientCheckpointing = on;
      const input = x();
      const mask = maskOf();
      const opt = tf.train.adam(1e-2);
      const losses: number[] = [];
      const counts: number[] = [];
      for (let step = 0; step < 5; step++) {
        const loss = opt.minimize(() => tf.mean(tf.square(enc.forward(input, { additiveMask: mask }).lastHiddenState)) as tf.Scalar, true, enc.parameters())!;
        losses.push(loss.dataSync()[0]!);
        loss.dispose();
        counts.push(tf.memory().numTensors);
      }
      opt.dispose();
      tf.dispose([input, mask]);
      enc.dispose();
      return { losses, counts };
    };
    const plain = run(false);
    const ckpt = run(true);
    for (let i = 0; i < plain.losses.length; i++) expect(Math.abs(plain.losses[i]! - ckpt.losses[i]!)).toBeLessThan(1e-5);
    expect(new Set(ckpt.counts.slice(1)).size).toBe(1);
  });

  it('is the plain forward outside a gradient tape and in eval mode', () => {
    const enc = new TransformerEncoder(config, { rng: new Generator(2) }).eval();
    const input = x();
    const plain = enc.forward(input).lastHiddenState;
    enc.gradientCheckpointing = true;
    const n = tf.memory().numTensors;
    const ckpt = enc.forward(input).lastHiddenState;
    expect(tf.memory().numTensors).toBe(n + 1);
    expect(maxAbsDiff(plain, ckpt)).toBe(0);
    expect(isGradientCheckpointable(enc)).toBe(true);
    expect(isGradientCheckpointable(enc.layer.at(0))).toBe(false);
    tf.dispose([input, plain, ckpt]);
    enc.dispose();
  });

  it('passes frozen parameters and context through without gradients', () => {
    const lin = new Linear({ inFeatures: 4, outFeatures: 4 }, { rng: new Generator(1) });
    lin.freeze('bias');
    const input = tf.randomNormal([2, 4], 0, 1, 'float32', 1);
    const shift = tf.ones([2, 4]);
    const f = (t: tf.Tensor, [c]: Array<tf.Tensor | undefined>) => tf.add(lin.forward(t), c!);
    const plain = tf.grads((t: tf.Tensor) => tf.sum(tf.square(f(t, [shift]))))([input]);
    const ckpt = tf.grads((t: tf.Tensor) => tf.sum(tf.square(checkpoint(lin, f, t, [shift]))))([input]);
    expect(maxAbsDiff(plain[0]!, ckpt[0]!)).toBeLessThan(1e-6);
    const weight = lin.parameters()[0]!;
    const gw = tf.variableGrads(() => tf.sum(tf.square(checkpoint(lin, f, input, [shift]))) as tf.Scalar, [weight]);
    const gwPlain = tf.variableGrads(() => tf.sum(tf.square(f(input, [shift]))) as tf.Scalar, [weight]);
    expect(maxAbsDiff(gw.grads[weight.name]!, gwPlain.grads[weight.name]!)).toBeLessThan(1e-6);
    tf.dispose([input, shift, ...plain, ...ckpt, gw.value, gwPlain.value, ...Object.values(gw.grads), ...Object.values(gwPlain.grads)]);
    lin.dispose();
  });
});
