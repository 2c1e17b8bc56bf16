import { describe, it, expect, beforeAll } from 'vitest';
import { initBackend } from '@attn/tensor';
import { registeredLayers, serializeLayer, layerFromConfig, registerLayer, UnknownLayerError } from './layer_registry';
import type { LayerConfig } from './module';
import { Linear } from './linear';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// A small valid config per built-in layer; a contributed layer adds its line here.
const EXAMPLES: Record<string, LayerConfig> = {
  Linear: { inFeatures: 4, outFeatures: 3, bias: true },
  Embedding: { numEmbeddings: 10, embeddingDim: 4, paddingIdx: 0 },
  LayerNorm: { normalizedShape: 4, eps: 1e-12 },
  Dropout: { rate: 0.1 },
  ScaledDotProductAttention: { dropoutRate: 0.1 },
  SelfAttention: { hiddenSize: 8, numHeads: 2 },
  MultiHeadAttention: { hiddenSize: 8, numHeads: 2, normFirst: true },
  Intermediate: { hiddenSize: 8, intermediateSize: 16, hiddenAct: 'gelu' },
  FeedForward: { hiddenSize: 8, intermediateSize: 16 },
  Residual: { inFeatures: 16, hiddenSize: 8 },
  TransformerEncoderLayer: { hiddenSize: 8, numHeads: 2, intermediateSize: 16 },
  TransformerEncoder: { numLayers: 2, hiddenSize: 8, numHeads: 2, intermediateSize: 16 },
  LoRALinear: { inFeatures: 8, outFeatures: 8, rank: 2, alpha: 4, dropout: 0 },
  Conv1D: { inFeatures: 8, outFeatures: 12, initializerRange: 0.02 },
  RMSNorm: { normalizedShape: 8, eps: 1e-6 },
};

describe('layer registry', () => {
  it('has an example for every registered layer', () => {
    expect(registeredLayers().sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it.each(Object.entries(EXAMPLES))('%s describes itself as a config and is rebuilt from it', (className, config) => {
    const layer = layerFromConfig({ className, config });
    const s = serializeLayer(layer);
    expect(s.className).toBe(className);
    const rebuilt = layerFromConfig(JSON.parse(JSON.stringify(s)));
    expect(serializeLayer(rebuilt)).toEqual(s);
    expect(rebuilt.namedParameters().map(([n, v]) => [n, v.shape])).toEqual(layer.namedParameters().map(([n, v]) => [n, v.shape]));
    layer.dispose();
    rebuilt.dispose();
  });

  it('rejects unknown and duplicate names', () => {
    expect(() => layerFromConfig({ className: 'Nope', config: {} })).toThrow(UnknownLayerError);
    expect(() => registerLayer('Linear', (c) => new Linear(c as never))).toThrow(/already/);
  });
});
