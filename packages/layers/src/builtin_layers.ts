import type { LayerConfig, Module } from './module';
import { Linear, type LinearConfig } from './linear';
import { Embedding, type EmbeddingConfig } from './embedding';
import { LayerNorm, type LayerNormConfig } from './layer_norm';
import { Dropout, type DropoutConfig } from './dropout';
import { ScaledDotProductAttention } from './scaled_dot_product_attention';
import { SelfAttention, type SelfAttentionConfig } from './self_attention';
import { MultiHeadAttention, type MultiHeadAttentionConfig } from './multi_head_attention';
import { Intermediate, FeedForward, type FeedForwardConfig } from './feed_forward';
import { Residual, type ResidualConfig } from './residual';
import { TransformerEncoderLayer, type TransformerEncoderLayerConfig } from './transformer_encoder_layer';
import { TransformerEncoder, type TransformerEncoderConfig } from './transformer_encoder';
import { LoRALinear } from './lora';
import { Conv1D, type Conv1DConfig } from './conv1d';
import { RMSNorm, type RMSNormConfig } from './rms_norm';

/** Builds a layer from what its getConfig() returned. */
export type LayerFactory = (config: LayerConfig) => Module;

// One line per layer: contributing a layer is a new file plus one line here (see README, "Contributing a new layer").
export const BUILTIN_LAYERS: Record<string, LayerFactory> = {
  Linear: (c) => new Linear(c as unknown as LinearConfig),
  Embedding: (c) => new Embedding(c as unknown as EmbeddingConfig),
  LayerNorm: (c) => new LayerNorm(c as unknown as LayerNormConfig),
  Dropout: (c) => new Dropout(c as unknown as DropoutConfig),
  ScaledDotProductAttention: (c) => new ScaledDotProductAttention(c),
  SelfAttention: (c) => new SelfAttention(c as unknown as SelfAttentionConfig),
  MultiHeadAttention: (c) => new MultiHeadAttention(c as unknown as MultiHeadAttentionConfig),
  Intermediate: (c) => new Intermediate(c as unknown as FeedForwardConfig),
  FeedForward: (c) => new FeedForward(c as unknown as FeedForwardConfig),
  Residual: (c) => new Residual(c as unknown as ResidualConfig),
  TransformerEncoderLayer: (c) => new TransformerEncoderLayer(c as unknown as TransformerEncoderLayerConfig),
  TransformerEncoder: (c) => new TransformerEncoder(c as unknown as TransformerEncoderConfig),
  LoRALinear: (c) => LoRALinear.fromConfig(c),
  Conv1D: (c) => new Conv1D(c as unknown as Conv1DConfig),
  RMSNorm: (c) => new RMSNorm(c as unknown as RMSNormConfig),
};
