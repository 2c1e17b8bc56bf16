// Memory stays flat for every task head: tf.memory().numTensors and numBytes after training
// update 50 equal those after update 5, and after inference call 200 equal those after call 10.
// The long soak (1,000 updates, 10,000 calls, plus RSS) is `node tools/reliability/soak.mjs`.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@attn/tensor';
import { BertConfig, createModel, type BertTask, type ModelInputs } from '@attn/models';
import { Trainer, type BatchSource } from '../src/index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const VOCAB = 64;
const config = () =>
  BertConfig.fromJSON({
    vocab_size: VOCAB, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
    intermediate_size: 32, max_position_embeddings: 32, num_labels: 3,
  });

/** A batch for `task` whose sequence length varies with `i` (dynamic padding exercises new shapes). */
function batchFor(task: BertTask, i: number, withLabels: boolean): ModelInputs {
  const b = 4;
  const s = 6 + (i % 5);
  const ids = Array.from({ length: b * s }, (_, k) => 1 + ((k * 7 + i * 3) % (VOCAB - 1)));
  const mask = Array.from({ length: b * s }, (_, k) => ((k % s) < s - (k % 3) ? 1 : 0));
  const batch: ModelInputs = {
    inputIds: tf.tensor2d(ids, [b, s], 'int32'),
    attentionMask: tf.tensor2d(mask, [b, s], 'int32'),
    tokenTypeIds: tf.zeros([b, s], 'int32'),
  };
  if (!withLabels) return batch;
  if (task === 'sequence-classification') batch.labels = tf.tensor1d([0, 1, 2, (i % 3)], 'int32');
  else if (task === 'token-classification') batch.labels = tf.tensor2d(ids.map((x, k) => (mask[k] ? x % 3 : -100)), [b, s], 'int32');
  else if (task === 'masked-lm') batch.labels = tf.tensor2d(ids.map((x, k) => (k % 4 === 0 ? x : -100)), [b, s], 'int32');
  else {
    batch.startPositions = tf.tensor1d([1, 2, 0, s - 1], 'int32');
    batch.endPositions = tf.tensor1d([2, 3, 0, s + 3], 'int32'); // s + 3: out of range, clamped/ignored
  }
  return batch;
}

function source(task: BertTask, n: number): BatchSource<ModelInputs> {
  return {
    length: n,
    *[Symbol.iterator]() {
      for (let i = 0; i < n; i++) yield batchFor(task, i, true);
    },
  };
}

const TASKS: BertTask[] = ['sequence-classification', 'token-classification', 'question-answering', 'masked-lm'];

describe.each(TASKS)('%s memory', (task) => {
  it('training: numTensors and bytes after update 50 equal those after update 5', async () => {
    const model = createModel(task, config(), { seed: 3 });
    const seen: { n: number; bytes: number; loss: number }[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'attn-mem-'));
    const trainer = new Trainer({
      model,
      args: { outputDir: dir, learningRate: 1e-3, maxSteps: 50, maxGradNorm: 1, saveStrategy: 'no', loggingSteps: 1000, seed: 1 },
      trainDataLoader: source(task, 50),
      callbacks: [{ onStepEnd: (ctx) => void seen.push({ n: tf.memory().numTensors, bytes: tf.memory().numBytes, loss: ctx.loss! }) }],
    });
    await trainer.train();
    expect(seen.length).toBe(50);
    expect(seen.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(seen[49]!.n).toBe(seen[4]!.n);
    expect(seen[49]!.bytes).toBe(seen[4]!.bytes);
    trainer.dispose();
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inference: numTensors and bytes after call 200 equal those after call 10', () => {
    const model = createModel(task, config(), { seed: 4 });
    model.eval();
    const at: Record<number, { n: number; bytes: number }> = {};
    for (let i = 1; i <= 200; i++) {
      const batch = batchFor(task, i, false);
      const out = model.forward(batch);
      const logits = out.logits ?? out.startLogits!;
      expect(logits.dataSync().every(Number.isFinite)).toBe(true);
      tf.dispose([...Object.values(out), ...Object.values(batch)] as tf.Tensor[]);
      if (i === 10 || i === 200) at[i] = { n: tf.memory().numTensors, bytes: tf.memory().numBytes };
    }
    expect(at[200]).toEqual(at[10]);
    model.dispose();
  });
});
