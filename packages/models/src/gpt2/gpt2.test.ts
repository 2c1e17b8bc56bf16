import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { describeFamilyReference } from '../../test/family_reference';
import { expectSameOutputsAfterSaveLoad } from '../../test/family_save_load';
import { createModel } from '../load_model';
import type { DecoderInputs } from '../decoder_io';
import { GPT2Config } from './gpt2_config';

const NAMES = ['micro-gpt2-clm', 'micro-gpt2-seqcls'];
describeFamilyReference('GPT-2', NAMES);

const micro = (extra: Record<string, unknown> = {}) =>
  GPT2Config.fromJSON({ vocab_size: 64, n_embd: 16, n_layer: 2, n_head: 2, n_positions: 8, ...extra });

describe('GPT-2', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it.each(NAMES)('%s: savePretrained → loadModel gives bit-identical outputs', async (name) => {
    await expectSameOutputsAfterSaveLoad(name);
  });

  it('reads GPT-2 names and their aliases, writes GPT-2 names; checks heads and the context length', () => {
    const c = micro();
    expect([c.hiddenSize, c.numHiddenLayers, c.numAttentionHeads, c.maxPositionEmbeddings, c.intermediateSize]).toEqual([16, 2, 2, 8, 64]);
    expect(GPT2Config.fromJSON({ hidden_size: 32, num_attention_heads: 4 }).hiddenSize).toBe(32);
    const json = c.toJSON();
    expect(json['n_embd']).toBe(16);
    expect(json['hidden_size']).toBeUndefined();
    expect(() => micro({ n_head: 3 })).toThrow(/multiple of n_head/);
    const m = createModel('causal-lm', micro(), { seed: 1 });
    // Conv1D kernels are not transposed for checkpoints; the tied head adds no parameter.
    expect([...m.transposedParameterNames()]).toEqual([]);
    expect(m.namedParameters().some(([n]) => n.startsWith('lm_head'))).toBe(false);
    const ids = tf.zeros([1, 9], 'int32');
    expect(() => m.forward({ inputIds: ids })).toThrow(/max_position_embeddings 8/);
    ids.dispose();
    m.dispose();
  });

  it('sequence classification pools the last non-padding token, left or right padded; without pad_token_id only one row', () => {
    const m = createModel('sequence-classification', micro({ pad_token_id: 0, num_labels: 3 }), { seed: 2 }).eval();
    const logits = (ids: number[][]) => tf.tidy(() => Array.from(m.forward({ inputIds: tf.tensor2d(ids, undefined, 'int32') }).logits!.dataSync()));
    const alone = logits([[5, 6, 7]]);
    const right = logits([[5, 6, 7, 0, 0]]);
    right.forEach((x, i) => expect(x).toBeCloseTo(alone[i]!, 5));
    // Left padding with its mask and positions (as generate() builds them) pools the same token.
    const left = tf.tidy(() =>
      Array.from(
        m.forward({
          inputIds: tf.tensor2d([[0, 0, 5, 6, 7]], undefined, 'int32'),
          attentionMask: tf.tensor2d([[0, 0, 1, 1, 1]], undefined, 'int32'),
          positionIds: tf.tensor2d([[0, 0, 0, 1, 2]], undefined, 'int32'),
        } as DecoderInputs).logits!.dataSync(),
      ),
    );
    left.forEach((x, i) => expect(x).toBeCloseTo(alone[i]!, 5));
    const none = createModel('sequence-classification', micro({ num_labels: 3 }), { seed: 2 });
    expect(() => none.forward({ inputIds: tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32') })).toThrow(/pad_token_id null/);
    m.dispose();
    none.dispose();
  });
});
