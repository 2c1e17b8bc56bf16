import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { tf, initBackend } from '@attn/tensor';
import { describeFamilyReference, FAMILY_REF } from '../../test/family_reference';
import { expectSameOutputsAfterSaveLoad } from '../../test/family_save_load';
import { createModel, loadModel } from '../load_model';
import { DistilBertConfig } from './distilbert_config';

const NAMES = ['micro-distilbert-seqcls', 'micro-distilbert-tokcls', 'micro-distilbert-qa', 'micro-distilbert-mlm'];
describeFamilyReference('DistilBERT', NAMES);

const micro = (extra: Record<string, unknown> = {}) =>
  DistilBertConfig.fromJSON({ vocab_size: 64, dim: 16, n_layers: 3, n_heads: 2, hidden_dim: 32, max_position_embeddings: 8, ...extra });

describe('DistilBERT', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it.each(NAMES)('%s: savePretrained → loadModel gives bit-identical outputs', async (name) => {
    await expectSameOutputsAfterSaveLoad(name);
  });

  it("reads HF's attribute_map names (hidden_size, num_hidden_layers, num_attention_heads) and writes DistilBERT's", () => {
    const c = DistilBertConfig.fromJSON({ hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4 });
    expect([c.hiddenSize, c.numHiddenLayers, c.numAttentionHeads]).toEqual([32, 2, 4]);
    const json = c.toJSON();
    expect([json['dim'], json['n_layers'], json['n_heads'], json['hidden_size']]).toEqual([32, 2, 4, undefined]);
    expect(() => DistilBertConfig.fromJSON({ dim: 30, n_heads: 4 })).toThrow(/dim 30 is not a multiple of n_heads 4/);
    expect(c.withDropout(0.3).toJSON()).toMatchObject({ dropout: 0.3, attention_dropout: 0.3, seq_classif_dropout: 0.2 });
  });

  it('sinusoidal_pos_embds starts the position table at sin(pos / 10000^(2i/d)), cos(...)', () => {
    const m = createModel('base', micro({ sinusoidal_pos_embds: true }), { seed: 1 });
    const table = m.namedParameters().find(([n]) => n === 'embeddings.position_embeddings.weight')![1].arraySync() as number[][];
    expect(table[0]!.slice(0, 2)).toEqual([0, 1]);
    expect(table[3]![2]).toBeCloseTo(Math.sin(3 / Math.pow(10000, 2 / 16)), 6);
    expect(table[5]![15]).toBeCloseTo(Math.cos(5 / Math.pow(10000, 14 / 16)), 6);
    m.dispose();
  });

  it('freezing layout: embeddings.*, transformer.layer.N is layer N, the body is distilbert.*', () => {
    const m = createModel('sequence-classification', micro(), { seed: 1 });
    const layout = m.parameterLayout();
    const names = m.namedParameters().map(([n]) => n);
    expect(names.filter((n) => layout.isEmbedding(n))).toEqual([
      'distilbert.embeddings.word_embeddings.weight',
      'distilbert.embeddings.position_embeddings.weight',
      'distilbert.embeddings.LayerNorm.weight',
      'distilbert.embeddings.LayerNorm.bias',
    ]);
    expect(layout.layerIndex('distilbert.transformer.layer.2.ffn.lin1.weight')).toBe(2);
    expect(names.filter((n) => !layout.isBackbone(n))).toEqual(['pre_classifier.weight', 'pre_classifier.bias', 'classifier.weight', 'classifier.bias']);
    m.dispose();
  });

  it("drops a stored vocab_projector.weight (tied: it is the word embeddings), as pre-5 checkpoints have it", async () => {
    const model = await loadModel(join(FAMILY_REF, 'checkpoints/micro-distilbert-mlm'));
    const weights = model.hfStateDict();
    weights['vocab_projector.weight'] = tf.clone(weights['distilbert.embeddings.word_embeddings.weight']!);
    const info = model.loadPretrainedWeights(weights, { quiet: true });
    expect(info).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    tf.dispose(Object.values(weights));
    model.dispose();
  });

  it('refuses inputs longer than max_position_embeddings, naming both', () => {
    const m = createModel('token-classification', micro(), { seed: 1 });
    const ids = tf.zeros([1, 9], 'int32');
    expect(() => m.forward({ inputIds: ids })).toThrow(/Sequence length 9 exceeds max_position_embeddings 8/);
    ids.dispose();
    m.dispose();
  });
});
