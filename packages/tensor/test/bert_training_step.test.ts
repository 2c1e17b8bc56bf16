// A full BERT-shaped forward + backward (embedding gathers, LayerNorm, masked attention,
// GELU FFN, pooler tanh, cross-entropy with ignoreIndex) on wasm, checked against cpu:
// no missing kernel, no leaked tensor, gradients equal within 1e-4 relative.
import { afterAll, describe, expect, it } from 'vitest';
import {
  Generator,
  gelu,
  initBackend,
  layerNorm,
  linear,
  scaledDotProductAttention,
  softmaxCrossEntropy,
  tf,
} from '../src/index';

const cfg = { vocab: 1000, hidden: 32, heads: 4, layers: 2, inter: 64, maxPos: 16, types: 2, labels: 3, batch: 3, seq: 12 };
const headDim = cfg.hidden / cfg.heads;

type Shapes = Record<string, number[]>;
function parameterShapes(): Shapes {
  const s: Shapes = {
    word: [cfg.vocab, cfg.hidden],
    pos: [cfg.maxPos, cfg.hidden],
    type: [cfg.types, cfg.hidden],
    embLnG: [cfg.hidden],
    embLnB: [cfg.hidden],
    poolW: [cfg.hidden, cfg.hidden],
    poolB: [cfg.hidden],
    clsW: [cfg.hidden, cfg.labels],
    clsB: [cfg.labels],
  };
  for (let l = 0; l < cfg.layers; l++) {
    for (const n of ['q', 'k', 'v', 'o']) {
      s[`${l}.${n}W`] = [cfg.hidden, cfg.hidden];
      s[`${l}.${n}B`] = [cfg.hidden];
    }
    s[`${l}.ln1G`] = [cfg.hidden];
    s[`${l}.ln1B`] = [cfg.hidden];
    s[`${l}.ln2G`] = [cfg.hidden];
    s[`${l}.ln2B`] = [cfg.hidden];
    s[`${l}.iW`] = [cfg.hidden, cfg.inter];
    s[`${l}.iB`] = [cfg.inter];
    s[`${l}.fW`] = [cfg.inter, cfg.hidden];
    s[`${l}.fB`] = [cfg.hidden];
  }
  return s;
}

const shapes = parameterShapes();
const names = Object.keys(shapes);
const rng = new Generator(2024);
const values: Record<string, Float32Array> = {};
for (const n of names) {
  const size = shapes[n]!.reduce((a, b) => a * b, 1);
  const isGain = /ln\dG|embLnG/.test(n);
  values[n] = Float32Array.from({ length: size }, () => (isGain ? 1 : 0) + 0.1 * rng.normal());
}
const inputIds = Int32Array.from({ length: cfg.batch * cfg.seq }, (_, i) => (i % cfg.seq === 0 ? 101 : rng.int(cfg.vocab)));
const tokenTypes = Int32Array.from({ length: cfg.batch * cfg.seq }, (_, i) => (i % cfg.seq >= 7 ? 1 : 0));
const lengths = [12, 9, 5];
const attention = Float32Array.from({ length: cfg.batch * cfg.seq }, (_, i) => (i % cfg.seq < lengths[Math.floor(i / cfg.seq)]! ? 1 : 0));
const seqLabels = Int32Array.from([0, 2, 1]);
const tokLabels = Int32Array.from({ length: cfg.batch * cfg.seq }, (_, i) => (attention[i] ? rng.int(cfg.labels) : -100));

function forwardLoss(p: Record<string, tf.Tensor>): tf.Scalar {
  const { batch, seq, hidden, heads } = cfg;
  const ids = tf.tensor2d(inputIds, [batch, seq], 'int32');
  const types = tf.tensor2d(tokenTypes, [batch, seq], 'int32');
  const additiveMask = tf.reshape(tf.mul(tf.sub(1, tf.tensor2d(attention, [batch, seq])), -1e4), [batch, 1, 1, seq]);
  let x = tf.add(tf.add(tf.gather(p.word!, ids), tf.gather(p.type!, types)), tf.gather(p.pos!, tf.range(0, seq, 1, "int32")));
  x = layerNorm(x, p.embLnG!, p.embLnB!);
  const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, seq, heads, headDim]), [0, 2, 1, 3]);
  for (let l = 0; l < cfg.layers; l++) {
    const q = split(linear(x, p[`${l}.qW`]!, p[`${l}.qB`]!));
    const k = split(linear(x, p[`${l}.kW`]!, p[`${l}.kB`]!));
    const v = split(linear(x, p[`${l}.vW`]!, p[`${l}.vB`]!));
    const ctx = tf.reshape(tf.transpose(scaledDotProductAttention(q, k, v, { additiveMask }).output, [0, 2, 1, 3]), [batch, seq, hidden]);
    x = layerNorm(tf.add(x, linear(ctx, p[`${l}.oW`]!, p[`${l}.oB`]!)), p[`${l}.ln1G`]!, p[`${l}.ln1B`]!);
    const h = gelu(linear(x, p[`${l}.iW`]!, p[`${l}.iB`]!));
    x = layerNorm(tf.add(x, linear(h, p[`${l}.fW`]!, p[`${l}.fB`]!)), p[`${l}.ln2G`]!, p[`${l}.ln2B`]!);
  }
  const cls = tf.reshape(tf.slice(x, [0, 0, 0], [batch, 1, hidden]), [batch, hidden]);
  const pooled = tf.tanh(linear(cls, p.poolW!, p.poolB!));
  const logits = linear(pooled, p.clsW!, p.clsB!);
  const tokLogits = linear(x, p.clsW!, p.clsB!); // a token-classification head sharing weights
  const seqLoss = softmaxCrossEntropy(logits, tf.tensor1d(seqLabels, 'int32'));
  const tokLoss = softmaxCrossEntropy(tokLogits, tf.tensor2d(tokLabels, [batch, seq], 'int32'));
  return tf.add(seqLoss, tokLoss) as tf.Scalar;
}

async function step(backend: 'cpu' | 'wasm') {
  await initBackend({ backend });
  const params = names.map((n) => tf.tensor(values[n]!, shapes[n]!));
  const before = tf.memory().numTensors;
  const run = () =>
    tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => forwardLoss(Object.fromEntries(names.map((n, i) => [n, ps[i]!]))))(params);
      return { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync().slice() as Float32Array) };
    });
  const first = run();
  const afterFirst = tf.memory().numTensors;
  run();
  const afterSecond = tf.memory().numTensors;
  tf.dispose(params);
  return { ...first, leakedFirst: afterFirst - before, leakedSecond: afterSecond - afterFirst };
}

afterAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('BERT-shaped training step on wasm', () => {
  it('runs with no missing kernel or leak, and matches cpu gradients within 1e-4 relative', async () => {
    const cpu = await step('cpu');
    const wasm = await step('wasm');
    expect(wasm.leakedFirst).toBe(0);
    expect(wasm.leakedSecond).toBe(0);
    expect(cpu.leakedFirst).toBe(0);
    expect(Number.isFinite(wasm.loss)).toBe(true);
    expect(Math.abs(wasm.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(1e-5);
    names.forEach((n, i) => {
      const a = wasm.grads[i]!;
      const b = cpu.grads[i]!;
      let scale = 0;
      let diff = 0;
      for (let j = 0; j < b.length; j++) {
        scale = Math.max(scale, Math.abs(b[j]!));
        diff = Math.max(diff, Math.abs(a[j]! - b[j]!));
      }
      if (/\.kB$/.test(n)) {
        // softmax is shift-invariant per row, so the key bias gets an exactly-zero gradient: both are rounding noise.
        expect(scale, `gradient of ${n}`).toBeLessThan(1e-6);
        expect(diff, `gradient of ${n}`).toBeLessThan(1e-6);
        return;
      }
      expect(scale, `gradient of ${n} is all zero`).toBeGreaterThan(1e-4);
      expect(diff / scale, `gradient of ${n}`).toBeLessThan(1e-4);
    });
  });
});
