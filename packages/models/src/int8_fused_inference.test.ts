// A quantized model's eval-mode encoder layers run as one AttnEncoderLayer call with int8 projections
// (native/src/encoder_layer.c calling qgemm), against the same quantized model with fused inference off
// (each int8 Linear as its own AttnInt8Linear kernel), for every post-LN encoder family.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCODER_LAYER_KERNEL, INT8_LINEAR_KERNEL, initBackend, setFusedInferenceEnabled, tf } from '@attn/tensor';
import { loadNativeAddon, registerNativeKernels, unregisterNativeKernels } from '@attn/tensor-native';
import { createModel } from './load_model';
import { BertConfig } from './bert/bert_config';
import { RobertaConfig } from './roberta/roberta_config';
import { ElectraConfig } from './electra/electra_config';
import { AlbertConfig } from './albert/albert_config';
import { DistilBertConfig } from './distilbert/distilbert_config';
import { quantize } from './quantized_checkpoint';
import type { PretrainedConfig } from './pretrained_config';

const addon = loadNativeAddon();

function batch(b: number, s: number, seed: number) {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648), 3 + (x % 47));
  // Row 0 full, row 1 half padded, the last fully padded.
  const mask = Array.from({ length: b }, (_, i) => Array.from({ length: s }, (_, j) => (j < (i === 0 ? s : i === b - 1 && b > 1 ? 0 : Math.ceil(s / 2)) ? 1 : 0)));
  return { inputIds: tf.tensor2d(Array.from({ length: b }, () => Array.from({ length: s }, next)), [b, s], 'int32'), attentionMask: tf.tensor2d(mask, [b, s], 'int32') };
}

const FAMILIES: Array<[string, (h: number, heads: number, inter: number, act: string) => PretrainedConfig, number]> = [
  ['bert', (h, heads, inter, act) => BertConfig.fromJSON({ vocab_size: 50, hidden_size: h, num_hidden_layers: 2, num_attention_heads: heads, intermediate_size: inter, hidden_act: act }), 2],
  ['roberta', (h, heads, inter, act) => RobertaConfig.fromJSON({ vocab_size: 50, hidden_size: h, num_hidden_layers: 2, num_attention_heads: heads, intermediate_size: inter, hidden_act: act, pad_token_id: 1 }), 2],
  ['electra', (h, heads, inter, act) => ElectraConfig.fromJSON({ vocab_size: 50, embedding_size: 12, hidden_size: h, num_hidden_layers: 2, num_attention_heads: heads, intermediate_size: inter, hidden_act: act }), 2],
  ['albert', (h, heads, inter, act) => AlbertConfig.fromJSON({ vocab_size: 50, embedding_size: 12, hidden_size: h, num_hidden_layers: 3, num_attention_heads: heads, intermediate_size: inter, hidden_act: act }), 3],
  ['distilbert', (h, heads, inter, act) => DistilBertConfig.fromJSON({ vocab_size: 50, dim: h, n_layers: 2, n_heads: heads, hidden_dim: inter, activation: act }), 2],
];

// Odd sizes: k = 130 and 37 are not multiples of 4, n = 70 and 37 not of the 64-column panel; seq 1, 7 and 70.
const SHAPES = [
  { h: 24, heads: 3, inter: 37, act: 'gelu', b: 3, s: 7 },
  { h: 130, heads: 2, inter: 70, act: 'gelu_new', b: 2, s: 70 },
  { h: 80, heads: 1, inter: 96, act: 'relu', b: 3, s: 1 },
];

describe.skipIf(!addon)('int8 encoder layers in the fused kernel (wasm + native)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    expect(registerNativeKernels(tf)).toBe(true);
  });
  afterAll(() => {
    unregisterNativeKernels(tf);
  });

  for (const [family, config, layers] of FAMILIES) {
    it(`${family}: fused int8 = unfused int8 to 1e-5 on 3 odd shapes, one kernel per layer, no leak`, async () => {
      for (const [i, sh] of SHAPES.entries()) {
        const model = quantize(createModel('base', config(sh.h, sh.heads, sh.inter, sh.act), { seed: 7 + i }));
        const inputs = batch(sh.b, sh.s, 11 + i);
        const run = () => tf.tidy(() => model.forward(inputs).lastHiddenState!);
        const before = tf.memory().numTensors;
        const fused = run();
        const profile = await tf.profile(() => tf.tidy(() => void model.forward(inputs)));
        expect(profile.kernels.filter((k) => k.name === ENCODER_LAYER_KERNEL).length).toBe(layers);
        // Only the Linears outside the layers (pooler, ALBERT/ELECTRA embedding projections) run on their own.
        expect(profile.kernels.filter((k) => k.name === INT8_LINEAR_KERNEL).length).toBeLessThanOrEqual(2);
        const prev = setFusedInferenceEnabled(false);
        const unfused = run();
        setFusedInferenceEnabled(prev);
        const a = fused.dataSync();
        const e = unfused.dataSync();
        let worst = 0;
        for (let j = 0; j < e.length; j++) worst = Math.max(worst, Math.abs(a[j]! - e[j]!) / Math.max(1, Math.abs(e[j]!)));
        expect(worst, `${family} shape ${i}`).toBeLessThan(1e-5);
        tf.dispose([fused, unfused]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose(Object.values(inputs));
        model.dispose();
      }
    });
  }
});
