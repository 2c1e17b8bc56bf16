import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { freezeStrategy } from './freeze_strategy';
import type { TrainableModel } from './trainable_model';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const NAMES = [
  'bert.embeddings.word_embeddings.weight',
  'bert.embeddings.LayerNorm.weight',
  'bert.encoder.layer.0.attention.self.query.weight',
  'bert.encoder.layer.0.attention.self.query.lora_A.weight',
  'bert.encoder.layer.1.output.dense.weight',
  'bert.encoder.layer.11.output.dense.weight',
  'bert.pooler.dense.weight',
  'classifier.weight',
  'classifier.bias',
];

function fakeModel(): TrainableModel & { vars: tf.Variable[] } {
  const vars = NAMES.map((n, i) => tf.variable(tf.zeros([1]), true, `freeze-${i}-${Math.random()}`));
  const named = NAMES.map((n, i) => [n, vars[i]!] as [string, tf.Variable]);
  return {
    vars,
    forward: () => ({}),
    namedParameters: () => named,
    trainableParameters: () => named.filter(([, v]) => v.trainable),
    train: () => undefined,
    eval: () => undefined,
    stateDict: () => ({}),
    loadStateDict: () => undefined,
  };
}

describe('freezeStrategy', () => {
  it.each([
    ['none', NAMES],
    ['embeddings', NAMES.slice(2)],
    ['all-but-head', ['classifier.weight', 'classifier.bias']],
    ['lora-only', ['bert.encoder.layer.0.attention.self.query.lora_A.weight']],
  ] as const)('%s', (strategy, expected) => {
    const m = fakeModel();
    expect(freezeStrategy(m, strategy)).toEqual(expected);
    expect(m.trainableParameters().map(([n]) => n)).toEqual(expected);
    m.vars.forEach((v) => v.dispose());
  });

  it('bottomLayers freezes embeddings and layers below N (layer 11 is not layer 1)', () => {
    const m = fakeModel();
    expect(freezeStrategy(m, { bottomLayers: 2 })).toEqual([
      'bert.encoder.layer.11.output.dense.weight',
      'bert.pooler.dense.weight',
      'classifier.weight',
      'classifier.bias',
    ]);
    expect(freezeStrategy(m, { loraOnly: true, trainHead: true })).toEqual([
      'bert.encoder.layer.0.attention.self.query.lora_A.weight',
      'classifier.weight',
      'classifier.bias',
    ]);
    m.vars.forEach((v) => v.dispose());
  });

  it('refuses a strategy that leaves nothing to train, without changing the model', () => {
    const m = fakeModel();
    m.vars[0]!.trainable = false;
    const onlyBackbone = { ...m, namedParameters: () => m.namedParameters().slice(0, 2) };
    expect(() => freezeStrategy(onlyBackbone, 'all-but-head')).toThrow(/no parameter trainable/);
    expect(m.vars[1]!.trainable).toBe(true);
    m.vars.forEach((v) => v.dispose());
  });
});

describe('freezeStrategy with the family layout (parameterLayout)', () => {
  // DistilBERT's and GPT-2's names: no encoder.layer.N, so only the model's own layout can tell blocks apart.
  const names = [
    'distilbert.embeddings.word_embeddings.weight',
    'distilbert.transformer.layer.0.attention.q_lin.weight',
    'distilbert.transformer.layer.1.ffn.lin1.weight',
    'pre_classifier.weight',
    'classifier.weight',
  ];
  function model(): TrainableModel {
    const named = names.map((n, i) => [n, tf.variable(tf.zeros([1]), true, `layout-${i}-${Math.random()}`)] as [string, tf.Variable]);
    return {
      forward: () => ({}),
      namedParameters: () => named,
      trainableParameters: () => named.filter(([, v]) => v.trainable),
      train: () => undefined,
      eval: () => undefined,
      stateDict: () => ({}),
      loadStateDict: () => undefined,
      parameterLayout: () => ({
        isEmbedding: (n) => n.includes('.embeddings.'),
        layerIndex: (n) => {
          const m = /transformer\.layer\.(\d+)\./.exec(n);
          return m ? Number(m[1]) : undefined;
        },
        isBackbone: (n) => n.startsWith('distilbert.'),
      }),
    };
  }

  it('freezes the bottom N blocks by the family\'s block names', () => {
    expect(freezeStrategy(model(), { bottomLayers: 1 })).toEqual(names.slice(2));
  });

  it('all-but-head keeps exactly the head the family defines', () => {
    expect(freezeStrategy(model(), 'all-but-head')).toEqual(['pre_classifier.weight', 'classifier.weight']);
  });
});
