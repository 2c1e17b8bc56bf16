import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { BertConfig } from './bert_config';
import { BertModel } from './bert_model';
import { BertForSequenceClassification } from './bert_for_sequence_classification';
import { BertForTokenClassification } from './bert_for_token_classification';
import { BertForQuestionAnswering } from './bert_for_question_answering';
import { BertForMaskedLM } from './bert_for_masked_lm';
import { createModel } from '../load_model';
import type { ModelInputs } from '../model_io';

// The micro configuration of fixtures/reference (see its README for the parameter counts).
const micro = (extra = {}) =>
  BertConfig.fromJSON({
    vocab_size: 1024, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128,
    max_position_embeddings: 64, ...extra,
  });

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('BERT models', () => {
  it('have HF parameter names and the reference parameter counts', () => {
    const counts: Array<[string, number, string[]]> = [];
    for (const m of [
      new BertModel(micro()),
      new BertForSequenceClassification(micro({ num_labels: 3 })),
      new BertForTokenClassification(micro({ num_labels: 9 })),
      new BertForQuestionAnswering(micro()),
      new BertForMaskedLM(micro()),
    ]) {
      const names = m.namedParameters().map(([n]) => n);
      counts.push([m.className, m.numParameters(), names.filter((n) => !n.includes('encoder.layer'))]);
      m.dispose();
    }
    expect(counts.map(([c, n]) => [c, n])).toEqual([
      ['BertModel', 140992],
      ['BertForSequenceClassification', 141187],
      ['BertForTokenClassification', 137417],
      ['BertForQuestionAnswering', 136962],
      ['BertForMaskedLM', 142144],
    ]);
    expect(counts[1]![2]).toEqual([
      'bert.embeddings.word_embeddings.weight', 'bert.embeddings.position_embeddings.weight',
      'bert.embeddings.token_type_embeddings.weight', 'bert.embeddings.LayerNorm.weight', 'bert.embeddings.LayerNorm.bias',
      'bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias',
    ]);
    expect(counts[3]![2].slice(-2)).toEqual(['qa_outputs.weight', 'qa_outputs.bias']);
    expect(() => new BertForMaskedLM(micro({ tie_word_embeddings: false }))).toThrow(/tie_word_embeddings/);
    // torch order: a module's own parameters before its children's
    expect(counts[4]![2].slice(-5)).toEqual([
      'cls.predictions.bias', 'cls.predictions.transform.dense.weight', 'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.LayerNorm.weight', 'cls.predictions.transform.LayerNorm.bias',
    ]);
  });

  it('initialise as HF BERT, reproducibly from a seed', () => {
    const a = new BertForSequenceClassification(micro(), { seed: 11 });
    const b = new BertForSequenceClassification(micro(), { seed: 11 });
    const c = new BertForSequenceClassification(micro(), { seed: 12 });
    const sd = a.stateDict();
    for (const [n, v] of b.namedParameters()) expect(Array.from(v.dataSync()), n).toEqual(Array.from(sd[n]!.dataSync()));
    expect(Array.from(c.classifier.weight.dataSync())).not.toEqual(Array.from(a.classifier.weight.dataSync()));
    // One seeded stream for the whole model (head and backbone), exposed for checkpoints.
    expect(a.rng).toBeDefined();
    expect(a.bert.rng).toBe(a.rng);
    expect(a.rng!.getState()).toEqual(b.rng!.getState());
    const word = a.bert.embeddings.word_embeddings.weight.arraySync() as number[][];
    expect(word[0]!.every((x) => x === 0)).toBe(true);
    const all = word.slice(1).flat();
    const std = Math.sqrt(all.reduce((s, x) => s + x * x, 0) / all.length);
    expect(std).toBeGreaterThan(0.0195);
    expect(std).toBeLessThan(0.0205);
    for (const [n, v] of a.namedParameters()) {
      const d = v.dataSync();
      if (n.endsWith('LayerNorm.weight')) expect(d.every((x) => x === 1), n).toBe(true);
      if (n.endsWith('.bias')) expect(d.every((x) => x === 0), n).toBe(true);
    }
    [a, b, c].forEach((m) => m.dispose());
  });

  it('apply dropout in training mode only', () => {
    const m = createModel('sequence-classification', micro(), { seed: 1 });
    const inputs: ModelInputs = { inputIds: tf.tensor2d([[101, 5, 6, 102]], [1, 4], 'int32') };
    const run = () => Array.from(m.forward(inputs).logits!.dataSync());
    m.eval();
    expect(run()).toEqual(run());
    m.train();
    expect(run()).not.toEqual(run());
    m.dispose();
  });

  it('return attentions and hidden states on request, and default the mask and token types', () => {
    const m = new BertModel(micro()).eval();
    const ids = tf.tensor2d([[101, 5, 6, 102]], [1, 4], 'int32');
    const a = m.forward({ inputIds: ids, outputAttentions: true, outputHiddenStates: true });
    expect(a.attentions!.map((t) => t.shape)).toEqual([[1, 4, 4, 4], [1, 4, 4, 4]]);
    expect(a.hiddenStates!.length).toBe(3);
    const b = m.forward({ inputIds: ids, attentionMask: tf.ones([1, 4], 'int32'), tokenTypeIds: tf.zeros([1, 4], 'int32') });
    expect(Array.from(b.lastHiddenState!.dataSync())).toEqual(Array.from(a.lastHiddenState!.dataSync()));
    expect(() => m.forward({ inputIds: tf.zeros([1, 65], 'int32') })).toThrow(/max_position_embeddings 64/);
    m.dispose();
  });
});

describe('losses', () => {
  it('sequence classification: MSE for one label (regression), BCE for multi-label float targets', () => {
    const reg = new BertForSequenceClassification(micro({ num_labels: 1 })).eval();
    const inputIds = tf.tensor2d([[101, 5, 102], [101, 7, 102]], [2, 3], 'int32');
    const labels = tf.tensor1d([0.5, -1]);
    const out = reg.forward({ inputIds, labels });
    const z = out.logits!.dataSync();
    expect(out.loss!.dataSync()[0]).toBeCloseTo(((z[0]! - 0.5) ** 2 + (z[1]! + 1) ** 2) / 2, 5);
    const multi = new BertForSequenceClassification(micro({ num_labels: 2, problem_type: 'multi_label_classification' })).eval();
    const t = tf.tensor2d([[1, 0], [1, 1]]);
    const o2 = multi.forward({ inputIds, labels: t });
    const l = o2.logits!.dataSync();
    const bce = (x: number, y: number) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
    const want = (bce(l[0]!, 1) + bce(l[1]!, 0) + bce(l[2]!, 1) + bce(l[3]!, 1)) / 4;
    expect(o2.loss!.dataSync()[0]).toBeCloseTo(want, 5);
    // Float class ids of shape [batch] (tfjs's default dtype) are still single-label cross-entropy.
    const single = new BertForSequenceClassification(micro({ num_labels: 2 })).eval();
    const a = single.forward({ inputIds, labels: tf.tensor1d([1, 0]) }).loss!.dataSync()[0]!;
    const b = single.forward({ inputIds, labels: tf.tensor1d([1, 0], 'int32') }).loss!.dataSync()[0]!;
    expect(a).toBe(b);
    reg.dispose();
    multi.dispose();
    single.dispose();
  });

  it('question answering clamps positions to [0, seq] and ignores seq', () => {
    const m = new BertForQuestionAnswering(micro()).eval();
    const inputIds = tf.tensor2d([[101, 5, 6, 102], [101, 7, 8, 102]], [2, 4], 'int32');
    const out = m.forward({ inputIds, startPositions: tf.tensor1d([1, 99], 'int32'), endPositions: tf.tensor1d([2, 99], 'int32') });
    const s = out.startLogits!.arraySync() as number[][];
    const e = out.endLogits!.arraySync() as number[][];
    const ce = (z: number[], y: number) => Math.log(z.reduce((a, x) => a + Math.exp(x), 0)) - z[y]!;
    // Row 1's positions clamp to 4 = seq: ignored, so each mean runs over row 0 only.
    expect(out.loss!.dataSync()[0]).toBeCloseTo((ce(s[0]!, 1) + ce(e[0]!, 2)) / 2, 5);
    m.dispose();
  });
});

describe('training memory', () => {
  it.each(['sequence-classification', 'token-classification', 'question-answering', 'masked-lm'] as const)(
    '%s: 20 forward+backward steps on wasm leave tf.memory().numTensors unchanged',
    async (task) => {
      await initBackend({ backend: 'wasm' });
      const config = BertConfig.fromJSON({
        vocab_size: 100, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64,
        max_position_embeddings: 16, num_labels: 3,
      });
      const model = createModel(task, config, { seed: 3 }).train();
      const inputIds = tf.tensor2d([[101 % 100, 5, 6, 7, 2, 0], [1, 8, 9, 10, 11, 2]], [2, 6], 'int32');
      const attentionMask = tf.tensor2d([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]], [2, 6], 'int32');
      const batch: ModelInputs = { inputIds, attentionMask };
      if (task === 'sequence-classification') batch.labels = tf.tensor1d([0, 2], 'int32');
      if (task === 'token-classification') batch.labels = tf.tensor2d([[-100, 1, 2, 0, 1, -100], [-100, 0, 0, 1, 2, -100]], [2, 6], 'int32');
      if (task === 'masked-lm') batch.labels = tf.tensor2d([[-100, 42, -100, -100, -100, -100], [-100, -100, 7, -100, -100, -100]], [2, 6], 'int32');
      if (task === 'question-answering') {
        batch.startPositions = tf.tensor1d([1, 2], 'int32');
        batch.endPositions = tf.tensor1d([2, 4], 'int32');
      }
      const vars = model.trainableParameters().map(([, v]) => v);
      const step = () => {
        const { value, grads } = tf.variableGrads(() => model.forward(batch).loss!, vars);
        tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)))));
        const loss = value.dataSync()[0]!;
        tf.dispose([value, ...Object.values(grads)]);
        return loss;
      };
      const first = step();
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 20; i++) last = step();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(last)).toBe(true);
      tf.dispose(Object.values(batch).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
      model.dispose();
    },
  );
});
