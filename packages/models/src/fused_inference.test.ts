// Eval-mode encoder layers through @attn/tensor-native's one-call AttnEncoderLayer kernel, against the unfused path
// (the same model, fused inference switched off) for every post-LN encoder family.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, readFirstRowsOnly, setFusedInferenceEnabled, skipPaddedRows, tf, EMBEDDINGS_KERNEL, ENCODER_LAYER_KERNEL } from '@attn/tensor';
import { applyLoRA } from '@attn/layers';
import { loadNativeAddon, registerNativeKernels, unregisterNativeKernels } from '@attn/tensor-native';
import { createModel } from './load_model';
import { BertConfig } from './bert/bert_config';
import { RobertaConfig } from './roberta/roberta_config';
import { ElectraConfig } from './electra/electra_config';
import { AlbertConfig } from './albert/albert_config';
import { DistilBertConfig } from './distilbert/distilbert_config';
import type { PreTrainedModel } from './pretrained_model';
import type { PretrainedConfig } from './pretrained_config';

const addon = loadNativeAddon();

/** Deterministic token ids (xorshift32) and a mask: row 0 full, row 1 half padded, the last row fully padded. */
function batch(b: number, s: number, vocab: number, seed: number) {
  let x = seed >>> 0 || 1;
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (let i = 0; i < b; i++) {
    const keep = i === 0 ? s : i === b - 1 && b > 1 ? 0 : Math.max(1, Math.ceil(s / 2));
    ids.push(
      Array.from({ length: s }, () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return 3 + ((x >>> 0) % (vocab - 3));
      }),
    );
    mask.push(Array.from({ length: s }, (_, j) => (j < keep ? 1 : 0)));
  }
  return { inputIds: tf.tensor2d(ids, [b, s], 'int32'), attentionMask: tf.tensor2d(mask, [b, s], 'int32') };
}

/** |a − e| / max(1, |e|) over every element. */
function worstRelative(a: ArrayLike<number>, e: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / Math.max(1, Math.abs(e[i]!)));
  return worst;
}

type Model = PreTrainedModel<PretrainedConfig>;

function hidden(model: Model, inputs: ReturnType<typeof batch>): Float32Array {
  const out = tf.tidy(() => model.forward(inputs).lastHiddenState!);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

/** How many AttnEncoderLayer kernels one forward launches. */
async function fusedCalls(model: Model, inputs: ReturnType<typeof batch>): Promise<number> {
  const info = await tf.profile(() => {
    tf.tidy(() => {
      model.forward(inputs);
    });
  });
  return info.kernels.filter((k) => k.name === ENCODER_LAYER_KERNEL).length;
}

/** Fused against unfused on the same model and batch; returns the worst relative difference. */
function compare(model: Model, inputs: ReturnType<typeof batch>): number {
  const fused = hidden(model, inputs);
  const prev = setFusedInferenceEnabled(false);
  try {
    return worstRelative(fused, hidden(model, inputs));
  } finally {
    setFusedInferenceEnabled(prev);
  }
}

const FAMILIES: Array<{ name: string; config: (h: number, heads: number, inter: number, act: string, pos: number) => PretrainedConfig; layers: number }> = [
  {
    name: 'bert',
    layers: 2,
    config: (h, heads, inter, act, pos) =>
      BertConfig.fromJSON({ vocab_size: 50, hidden_size: h, num_hidden_layers: 2, num_attention_heads: heads, intermediate_size: inter, hidden_act: act, max_position_embeddings: pos }),
  },
  {
    name: 'roberta',
    layers: 2,
    config: (h, heads, inter, act, pos) =>
      RobertaConfig.fromJSON({ vocab_size: 50, hidden_size: h, num_hidden_layers: 2, num_attention_heads: heads, intermediate_size: inter, hidden_act: act, max_position_embeddings: pos + 2, pad_token_id: 1 }),
  },
  {
    name: 'electra',
    layers: 2,
    config: (h, heads, inter, act, pos) =>
      ElectraConfig.fromJSON({ vocab_size: 50, embedding_size: 12, hidden_size: h, num_hidden_layers: 2, num_attention_heads: heads, intermediate_size: inter, hidden_act: act, max_position_embeddings: pos }),
  },
  {
    name: 'albert',
    layers: 3,
    config: (h, heads, inter, act, pos) =>
      AlbertConfig.fromJSON({ vocab_size: 50, embedding_size: 12, hidden_size: h, num_hidden_layers: 3, num_attention_heads: heads, intermediate_size: inter, hidden_act: act, max_position_embeddings: pos }),
  },
  {
    name: 'distilbert',
    layers: 2,
    config: (h, heads, inter, act, pos) =>
      DistilBertConfig.fromJSON({ vocab_size: 50, dim: h, n_layers: 2, n_heads: heads, hidden_dim: inter, activation: act, max_position_embeddings: pos }),
  },
];

// Odd sizes: head dims 8, 65 (a 64-wide block plus a scalar tail) and 80 (64 + 16); sequences 1, 7 and 70.
const SHAPES = [
  { h: 24, heads: 3, inter: 37, act: 'gelu', b: 3, s: 7 },
  { h: 130, heads: 2, inter: 70, act: 'gelu_new', b: 2, s: 70 },
  { h: 80, heads: 1, inter: 96, act: 'relu', b: 3, s: 1 },
  // hidden a multiple of the micro-kernel's 32 / 16 columns: no partial column sliver in any product.
  { h: 64, heads: 2, inter: 96, act: 'gelu', b: 3, s: 9 },
];

describe('fused inference without the kernel (no addon: cpu backend)', () => {
  it('runs every layer as its own ops, with the same outputs as fused inference switched off', async () => {
    await initBackend({ backend: 'cpu' });
    const model = createModel('base', FAMILIES[3]!.config(24, 3, 37, 'gelu_new', 16), { seed: 5 }).eval() as Model;
    const inputs = batch(3, 6, 50, 21);
    expect(await fusedCalls(model, inputs)).toBe(0);
    expect(compare(model, inputs)).toBe(0);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });
});

describe.skipIf(!addon)('fused inference encoder layer (AttnEncoderLayer) on wasm + native', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  for (const family of FAMILIES) {
    for (const shape of SHAPES) {
      it(`${family.name} h${shape.h}/${shape.heads} heads/${shape.act}, batch ${shape.b} x ${shape.s} with padded rows: fused = unfused to 1e-5`, async () => {
        const model = createModel('base', family.config(shape.h, shape.heads, shape.inter, shape.act, 80), { seed: 5 }).eval() as Model;
        const inputs = batch(shape.b, shape.s, 50, 11 + shape.s);
        expect(await fusedCalls(model, inputs)).toBe(family.layers);
        expect(compare(model, inputs)).toBeLessThanOrEqual(1e-5);
        tf.dispose(Object.values(inputs));
        model.dispose();
      });
    }
  }

  it('sequence length 2,048 (1 head, hidden 8): fused = unfused to 1e-5', () => {
    const model = createModel('base', FAMILIES[0]!.config(8, 1, 16, 'gelu', 2048), { seed: 2 }).eval() as Model;
    const inputs = batch(2, 2048, 50, 3);
    expect(compare(model, inputs)).toBeLessThanOrEqual(1e-5);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  it('is skipped in training mode, under a gradient tape, with LoRA, and with fused inference off', async () => {
    const model = createModel('base', FAMILIES[0]!.config(24, 3, 37, 'gelu', 16), { seed: 7 }) as Model;
    const inputs = batch(2, 5, 50, 9);
    model.train();
    expect(await fusedCalls(model, inputs)).toBe(0);
    model.eval();
    expect(await fusedCalls(model, inputs)).toBe(2);
    // Eval mode with a gradient being recorded: the unfused path, whose gradient exists.
    const emb = model.namedParameters().find(([n]) => n.endsWith('word_embeddings.weight'))![1];
    const g = tf.grad((w: tf.Tensor) => {
      expect(w.shape).toEqual(emb.shape);
      return tf.sum(model.forward(inputs).lastHiddenState!);
    });
    let usedInTape = 0;
    const info = await tf.profile(() => {
      tf.tidy(() => {
        g(emb);
      });
    });
    usedInTape = info.kernels.filter((k) => k.name === ENCODER_LAYER_KERNEL).length;
    expect(usedInTape).toBe(0);
    const prev = setFusedInferenceEnabled(false);
    expect(await fusedCalls(model, inputs)).toBe(0);
    setFusedInferenceEnabled(prev);
    applyLoRA(model, { rank: 2, targetModules: ['query'] });
    model.eval();
    expect(await fusedCalls(model, inputs)).toBe(0);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  it('embeddings (AttnEmbeddings) with token type ids, RoBERTa positions and narrow tables: one kernel, = unfused to 1e-6', async () => {
    for (const family of FAMILIES.filter((f) => f.name !== 'distilbert')) {
      const model = createModel('base', family.config(24, 3, 37, 'gelu', 20), { seed: 6 }).eval() as Model;
      const inputs = { ...batch(3, 9, 50, 12), tokenTypeIds: tf.tensor2d([[0, 0, 0, 0, 1, 1, 1, 1, 1], [0, 1, 0, 1, 0, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1]], [3, 9], 'int32') };
      if (family.name === 'roberta') inputs.inputIds = tf.tensor2d([[0, 5, 6, 7, 2, 1, 1, 1, 1], [0, 9, 9, 9, 9, 9, 9, 9, 2], [0, 2, 1, 1, 1, 1, 1, 1, 1]], [3, 9], 'int32');
      const info = await tf.profile(() => {
        tf.tidy(() => {
          model.forward(inputs);
        });
      });
      expect(info.kernels.filter((k) => k.name === EMBEDDINGS_KERNEL).length, family.name).toBe(1);
      expect(info.kernels.filter((k) => k.name === 'GatherV2').length, family.name).toBe(0);
      expect(compare(model, inputs), family.name).toBeLessThanOrEqual(1e-6);
      tf.dispose(Object.values(inputs));
      model.dispose();
    }
  });

  it('embeddings: an id outside the table is a one-line RangeError saying which and where; training mode keeps the ops', async () => {
    const model = createModel('base', FAMILIES[0]!.config(24, 3, 37, 'gelu', 16), { seed: 6 }).eval() as Model;
    const ids = tf.tensor2d([[3, 4, 5], [6, 50, 7]], [2, 3], 'int32');
    expect(() => tf.tidy(() => model.forward({ inputIds: ids }))).toThrow(/token id 50 at \[1, 1\] is outside the embedding table's 50 rows/);
    const types = tf.tensor2d([[0, 2, 0], [0, 0, 0]], [2, 3], 'int32');
    const ok = tf.tensor2d([[3, 4, 5], [6, 7, 8]], [2, 3], 'int32');
    expect(() => tf.tidy(() => model.forward({ inputIds: ok, tokenTypeIds: types }))).toThrow(/token type id 2 at \[0, 1\] is outside the embedding table's 2 rows/);
    model.train();
    const info = await tf.profile(() => {
      tf.tidy(() => {
        model.forward({ inputIds: ok });
      });
    });
    expect(info.kernels.filter((k) => k.name === EMBEDDINGS_KERNEL).length).toBe(0);
    tf.dispose([ids, types, ok]);
    model.dispose();
  });

  it.each([24, 64])('reads a weight changed after a fused forward (Variable.assign) fresh, not from its packed copy (hidden %i)', (h) => {
    const model = createModel('base', FAMILIES[0]!.config(h, 2, 37, 'gelu', 16), { seed: 8 }).eval() as Model;
    const inputs = batch(2, 6, 50, 13);
    const scale = (pick: (name: string) => boolean, factor: number) => {
      for (const [name, v] of model.namedParameters()) {
        if (v.shape.length === 2 && /encoder\.layer\.\d+\./.test(name) && name.endsWith('.weight') && pick(name)) {
          (v as tf.Variable).assign(tf.tidy(() => tf.mul(v, factor)));
        }
      }
    };
    let before = hidden(model, inputs); // packs every projection weight
    // Only the key weights first: their packs alone must be replaced.
    scale((n) => n.includes('.key.'), 8);
    let after = hidden(model, inputs);
    expect(worstRelative(after, before)).toBeGreaterThan(1e-4);
    expect(compare(model, inputs)).toBeLessThanOrEqual(1e-5);
    before = after;
    scale((n) => !n.includes('.key.'), 1.5);
    after = hidden(model, inputs);
    expect(worstRelative(after, before)).toBeGreaterThan(1e-2);
    expect(compare(model, inputs)).toBeLessThanOrEqual(1e-5);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  it('sequence classifiers skip padded rows: logits = unfused to 1e-5 (right, left and fully padded rows) for every family', () => {
    for (const family of FAMILIES) {
      const model = createModel('sequence-classification', family.config(24, 3, 37, 'gelu', 20), { seed: 4 }).eval() as Model;
      const inputs = batch(4, 9, 50, 17);
      // Row 2 left-padded: its first position is padding, which the pooler still reads.
      const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0]], [4, 9], 'int32');
      inputs.attentionMask.dispose();
      inputs.attentionMask = mask;
      const logits = (): Float32Array => {
        const out = tf.tidy(() => model.forward(inputs).logits!);
        const v = out.dataSync() as Float32Array;
        out.dispose();
        return v;
      };
      const fused = logits();
      const prev = setFusedInferenceEnabled(false);
      const unfused = logits();
      setFusedInferenceEnabled(prev);
      expect(worstRelative(fused, unfused), family.name).toBeLessThanOrEqual(1e-5);
      tf.dispose(Object.values(inputs));
      model.dispose();
    }
  });

  it('skipPaddedRows: real rows and first positions equal the full layer, padded rows pass x through', () => {
    const model = createModel('base', FAMILIES[0]!.config(24, 3, 37, 'gelu', 20), { seed: 9 }).eval() as Model;
    const inputs = batch(3, 8, 50, 5); // row 0 full, row 1 half padded, row 2 fully padded
    const full = hidden(model, inputs);
    const emb = tf.tidy(() => model.forward({ ...inputs, outputHiddenStates: true }).hiddenStates![0]!.dataSync() as Float32Array);
    const skipped = skipPaddedRows(() => hidden(model, inputs));
    const mask = inputs.attentionMask.arraySync() as number[][];
    const h = 24;
    let realWorst = 0;
    let padWorst = 0;
    let padDiffersFromFull = 0;
    mask.forEach((row, b) =>
      row.forEach((m, s) => {
        const at = (b * 8 + s) * h;
        const keep = m === 1 || s === 0 || row.every((x) => x === 0);
        for (let j = 0; j < h; j++) {
          if (keep) realWorst = Math.max(realWorst, Math.abs(skipped[at + j]! - full[at + j]!));
          else {
            padWorst = Math.max(padWorst, Math.abs(skipped[at + j]! - emb[at + j]!));
            padDiffersFromFull = Math.max(padDiffersFromFull, Math.abs(skipped[at + j]! - full[at + j]!));
          }
        }
      }),
    );
    expect(realWorst).toBeLessThanOrEqual(1e-5);
    expect(padWorst).toBe(0); // the embeddings' rows, through both layers unchanged
    expect(padDiffersFromFull).toBeGreaterThan(1e-3); // so the rows were skipped
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  it('readFirstRowsOnly: the last layer computes first rows = the full layer, its other rows are its input', () => {
    for (const family of FAMILIES) {
      const model = createModel('base', family.config(24, 3, 37, 'gelu', 20), { seed: 9 }).eval() as Model;
      const inputs = batch(3, 8, 50, 5); // row 0 full, row 1 half padded, row 2 fully padded
      const full = hidden(model, inputs);
      const [first, before] = tf.tidy(() => {
        const out = readFirstRowsOnly(() => model.forward({ ...inputs, outputHiddenStates: true }));
        const states = out.hiddenStates!;
        return [out.lastHiddenState!.dataSync() as Float32Array, states[states.length - 2]!.dataSync() as Float32Array];
      });
      const mask = inputs.attentionMask.arraySync() as number[][];
      const h = 24;
      let firstWorst = 0;
      let passWorst = 0;
      let passDiffersFromFull = 0;
      mask.forEach((row, b) =>
        row.forEach((m, s) => {
          const at = (b * 8 + s) * h;
          for (let j = 0; j < h; j++) {
            if (s === 0) firstWorst = Math.max(firstWorst, Math.abs(first[at + j]! - full[at + j]!) / Math.max(1, Math.abs(full[at + j]!)));
            else if (m === 1) {
              passWorst = Math.max(passWorst, Math.abs(first[at + j]! - before[at + j]!));
              passDiffersFromFull = Math.max(passDiffersFromFull, Math.abs(first[at + j]! - full[at + j]!));
            }
          }
        }),
      );
      expect(firstWorst, family.name).toBeLessThanOrEqual(1e-5);
      expect(passWorst, family.name).toBe(0); // the real rows past the first: the last layer's input, unchanged
      expect(passDiffersFromFull, family.name).toBeGreaterThan(1e-3); // so the last layer skipped them
      tf.dispose(Object.values(inputs));
      model.dispose();
    }
  });

  it('leaks no tensor: repeated fused forwards keep tf.memory().numTensors stable', () => {
    const model = createModel('sequence-classification', FAMILIES[4]!.config(24, 3, 37, 'gelu', 16), { seed: 3 }).eval() as Model;
    const inputs = batch(3, 9, 50, 4);
    tf.tidy(() => model.forward(inputs).logits); // warm-up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(() => model.forward(inputs).logits!));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });
});
