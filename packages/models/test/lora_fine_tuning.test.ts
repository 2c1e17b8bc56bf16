// LoRA on a real BERT head: the adapters and the classifier train, the backbone does not move.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { applyLoRA } from '@attn/layers';
import { BertForSequenceClassification } from '../src/index';

const CKPT = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/reference/checkpoints');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('LoRA fine-tuning of BertForSequenceClassification', () => {
  it('trains only lora_A / lora_B and the classifier, and lowers the loss', async () => {
    const model = await BertForSequenceClassification.fromPretrained(join(CKPT, 'micro-seqcls'));
    const adapted = applyLoRA(model, { rank: 4, alpha: 8, targetModules: ['query', 'value'], trainable: ['classifier.*'] });
    expect(adapted).toEqual([
      'bert.encoder.layer.0.attention.self.query', 'bert.encoder.layer.0.attention.self.value',
      'bert.encoder.layer.1.attention.self.query', 'bert.encoder.layer.1.attention.self.value',
    ]);
    const trainable = model.trainableParameters();
    expect(trainable.length).toBe(4 * 2 + 2);
    expect(model.numParameters({ trainableOnly: true })).toBe(4 * (64 * 4 + 4 * 64) + 3 * 64 + 3);
    const before = new Map(model.namedParameters().map(([n, v]) => [n, Array.from(v.dataSync())]));
    const batch = {
      inputIds: tf.tensor2d([[101, 345, 678, 102], [101, 150, 817, 102]], [2, 4], 'int32'),
      labels: tf.tensor1d([2, 0], 'int32'),
    };
    const vars = trainable.map(([, v]) => v);
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { value, grads } = tf.variableGrads(() => model.forward(batch).loss!, vars);
      tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.1)))));
      losses.push(value.dataSync()[0]!);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(losses[4]).toBeLessThan(losses[0]!);
    for (const [n, v] of model.namedParameters()) {
      const changed = Array.from(v.dataSync()).some((x, i) => x !== before.get(n)![i]);
      expect([n, changed]).toEqual([n, n.includes('.lora_') || n.startsWith('classifier.')]);
    }
    tf.dispose(Object.values(batch));
    model.dispose();
  });
});
