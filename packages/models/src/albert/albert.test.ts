import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, initBackend } from '@attn/tensor';
import { describeFamilyReference, FAMILY_REF } from '../../test/family_reference';
import { expectSameOutputsAfterSaveLoad } from '../../test/family_save_load';
import { createModel, loadModel } from '../load_model';
import { AlbertConfig } from './albert_config';
import { albertGroupOfLayer } from './albert_model';

const NAMES = ['micro-albert-seqcls', 'micro-albert-mlm'];
describeFamilyReference('ALBERT', NAMES);

const micro = (extra: Record<string, unknown> = {}) =>
  AlbertConfig.fromJSON({
    vocab_size: 64, embedding_size: 8, hidden_size: 16, num_hidden_layers: 4, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 8, ...extra,
  });

describe('ALBERT', () => {
  let tmp = '';
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    tmp = mkdtempSync(join(tmpdir(), 'attn-albert-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(NAMES)('%s: savePretrained → loadModel gives bit-identical outputs', async (name) => {
    await expectSameOutputsAfterSaveLoad(name);
  });

  it('one shared group: one set of layer weights whatever num_hidden_layers, applied num_hidden_layers × inner_group_num times', () => {
    const names = (c: AlbertConfig) => {
      const m = createModel('base', c, { seed: 1 });
      const n = m.namedParameters().map(([k]) => k);
      m.dispose();
      return n;
    };
    const shared = names(micro({ num_hidden_layers: 12 }));
    expect(shared).toEqual(names(micro({ num_hidden_layers: 2 })));
    expect(shared.filter((n) => n.includes('albert_layer_groups.0.albert_layers.0.'))).toHaveLength(16);
    expect(shared.some((n) => n.includes('albert_layer_groups.1') || n.includes('albert_layers.1'))).toBe(false);
    const grouped = names(micro({ num_hidden_groups: 2, inner_group_num: 2 }));
    expect(grouped.filter((n) => /albert_layer_groups\.1\.albert_layers\.1\.ffn\.weight$/.test(n))).toHaveLength(1);
    // HF: group_idx = int(i / (num_hidden_layers / num_hidden_groups))
    expect([0, 1, 2, 3].map((i) => albertGroupOfLayer(micro({ num_hidden_groups: 2 }), i))).toEqual([0, 0, 1, 1]);
    expect([0, 1, 2].map((i) => albertGroupOfLayer(micro({ num_hidden_layers: 3, num_hidden_groups: 2 }), i))).toEqual([0, 0, 1]);

    const m = createModel('base', micro({ num_hidden_groups: 2, inner_group_num: 2 }), { seed: 1 });
    const ids = tf.tensor2d([[2, 5, 9, 3]], [1, 4], 'int32');
    const out = m.forward({ inputIds: ids, outputHiddenStates: true, outputAttentions: true });
    expect(out.hiddenStates).toHaveLength(1 + 4 * 2);
    expect(out.attentions).toHaveLength(4 * 2);
    expect(out.poolerOutput!.shape).toEqual([1, 16]);
    tf.dispose([ids, out as unknown as tf.TensorContainer]);
    m.dispose();
  });

  it('freezing layout: a shared group is "layer" = the last layer that applies it; the embedding mapping counts as embeddings', () => {
    const layoutOf = (c: AlbertConfig) => {
      const m = createModel('sequence-classification', c, { seed: 1 });
      const layout = m.parameterLayout();
      const names = m.namedParameters().map(([n]) => n);
      m.dispose();
      return { layout, names };
    };
    const one = layoutOf(micro());
    expect(one.layout.layerIndex('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')).toBe(3);
    expect(one.names.filter((n) => one.layout.isEmbedding(n))).toEqual([
      'albert.embeddings.word_embeddings.weight',
      'albert.embeddings.position_embeddings.weight',
      'albert.embeddings.token_type_embeddings.weight',
      'albert.embeddings.LayerNorm.weight',
      'albert.embeddings.LayerNorm.bias',
      'albert.encoder.embedding_hidden_mapping_in.weight',
      'albert.encoder.embedding_hidden_mapping_in.bias',
    ]);
    expect(one.names.filter((n) => !one.layout.isBackbone(n))).toEqual(['classifier.weight', 'classifier.bias']);
    // bottom-N freezes a parameter when its layer index is < N: the shared group only at N = 4 (all layers).
    const frozenAt = (n: number) => one.names.filter((k) => (one.layout.layerIndex(k) ?? Infinity) < n).length;
    expect([frozenAt(3), frozenAt(4)]).toEqual([0, 16]);
    const perLayer = layoutOf(micro({ num_hidden_groups: 4 }));
    expect([0, 1, 2, 3].map((g) => perLayer.layout.layerIndex(`albert.encoder.albert_layer_groups.${g}.albert_layers.0.ffn.bias`))).toEqual([0, 1, 2, 3]);
    const two = layoutOf(micro({ num_hidden_groups: 2 }));
    expect([0, 1].map((g) => two.layout.layerIndex(`albert.encoder.albert_layer_groups.${g}.albert_layers.0.ffn.bias`))).toEqual([1, 3]);
    expect(two.layout.layerIndex('albert.pooler.weight')).toBeUndefined();
  });

  it('reads pre-5 checkpoints: the tied predictions.decoder.weight is dropped, predictions.decoder.bias is predictions.bias', async () => {
    const model = await loadModel(join(FAMILY_REF, 'checkpoints/micro-albert-mlm'));
    const weights = model.hfStateDict();
    const bias = weights['predictions.bias']!;
    delete weights['predictions.bias'];
    weights['predictions.decoder.bias'] = bias;
    weights['predictions.decoder.weight'] = tf.clone(weights['albert.embeddings.word_embeddings.weight']!);
    tf.tidy(() => model.namedParameters().forEach(([, v]) => v.assign(tf.zerosLike(v))));
    const info = model.loadPretrainedWeights(weights, { quiet: true });
    expect(info).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    const got = model.namedParameters().find(([n]) => n === 'predictions.bias')![1];
    expect(Array.from(got.dataSync())).toEqual(Array.from(bias.dataSync()));
    tf.dispose(Object.values(weights));
    model.dispose();
  });

  it('an AlbertForPreTraining checkpoint loads as AlbertForMaskedLM (the sentence-order head is unused)', async () => {
    const src = join(FAMILY_REF, 'checkpoints/micro-albert-mlm');
    const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
    writeFileSync(join(tmp, 'config.json'), JSON.stringify({ ...config, architectures: ['AlbertForPreTraining'] }));
    copyFileSync(join(src, 'model.safetensors'), join(tmp, 'model.safetensors'));
    const m = await loadModel(tmp);
    expect(m.architecture).toBe('AlbertForMaskedLM');
    m.dispose();
  });

  it('token classification and question answering heads run on the shared body (HF parity: tools/hf-check)', () => {
    const tok = createModel('token-classification', micro({ num_labels: 3 }), { seed: 1 });
    const qa = createModel('question-answering', micro(), { seed: 1 });
    const before = tf.memory().numTensors;
    const [shapes, losses] = tf.tidy(() => {
      const ids = tf.tensor2d([[2, 5, 9, 3]], [1, 4], 'int32');
      const t = tok.forward({ inputIds: ids, labels: tf.tensor2d([[-100, 1, 2, -100]], [1, 4], 'int32') });
      const q = qa.forward({ inputIds: ids, startPositions: tf.tensor1d([1], 'int32'), endPositions: tf.tensor1d([2], 'int32') });
      return [[t.logits!.shape, q.startLogits!.shape, q.endLogits!.shape], [t.loss!.dataSync()[0]!, q.loss!.dataSync()[0]!]];
    });
    expect(shapes).toEqual([[1, 4, 3], [1, 4], [1, 4]]);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tok.dispose();
    qa.dispose();
  });
});
