import { PretrainedConfig, ConfigError, type ConfigField } from '../pretrained_config';

/** GPT-2's config.json names (HF GPT2Config); hidden_size / num_hidden_layers / ... are read as aliases. */
export const GPT2_CONFIG_FIELDS: readonly ConfigField[] = [
  { json: 'vocab_size', prop: 'vocabSize', kind: 'int' },
  { json: 'n_positions', prop: 'maxPositionEmbeddings', kind: 'int', aliases: ['max_position_embeddings'] },
  { json: 'n_embd', prop: 'hiddenSize', kind: 'int', aliases: ['hidden_size'] },
  { json: 'n_layer', prop: 'numHiddenLayers', kind: 'int', aliases: ['num_hidden_layers'] },
  { json: 'n_head', prop: 'numAttentionHeads', kind: 'int', aliases: ['num_attention_heads'] },
  { json: 'n_inner', prop: 'nInner', kind: 'int', nullable: true },
  { json: 'activation_function', prop: 'activationFunction', kind: 'string' },
  { json: 'resid_pdrop', prop: 'residPdrop', kind: 'prob' },
  { json: 'embd_pdrop', prop: 'embdPdrop', kind: 'prob' },
  { json: 'attn_pdrop', prop: 'attnPdrop', kind: 'prob' },
  { json: 'layer_norm_epsilon', prop: 'layerNormEpsilon', kind: 'number' },
  { json: 'initializer_range', prop: 'initializerRange', kind: 'number' },
  { json: 'scale_attn_weights', prop: 'scaleAttnWeights', kind: 'bool' },
  { json: 'scale_attn_by_inverse_layer_idx', prop: 'scaleAttnByInverseLayerIdx', kind: 'bool' },
  { json: 'reorder_and_upcast_attn', prop: 'reorderAndUpcastAttn', kind: 'bool' },
  { json: 'tie_word_embeddings', prop: 'tieWordEmbeddings', kind: 'bool' },
  { json: 'bos_token_id', prop: 'bosTokenId', kind: 'json' },
  { json: 'eos_token_id', prop: 'eosTokenId', kind: 'json' },
  { json: 'pad_token_id', prop: 'padTokenId', kind: 'int', nullable: true },
];

/** GPT-2 (Radford et al. 2019) hyperparameters with HF GPT2Config's defaults (the 124M model). */
export class GPT2Config extends PretrainedConfig {
  static override readonly modelType: string = 'gpt2';
  static override readonly fields: readonly ConfigField[] = GPT2_CONFIG_FIELDS;
  static override readonly dropoutFields: readonly string[] = ['resid_pdrop', 'embd_pdrop', 'attn_pdrop'];

  override vocabSize = 50257;
  override maxPositionEmbeddings = 1024;
  override hiddenSize = 768;
  override numHiddenLayers = 12;
  override numAttentionHeads = 12;
  override padTokenId: number | null = null;
  /** MLP width; null = 4 × n_embd. */
  nInner: number | null = null;
  activationFunction = 'gelu_new';
  residPdrop = 0.1;
  embdPdrop = 0.1;
  attnPdrop = 0.1;
  layerNormEpsilon = 1e-5;
  initializerRange = 0.02;
  scaleAttnWeights = true;
  scaleAttnByInverseLayerIdx = false;
  reorderAndUpcastAttn = false;
  tieWordEmbeddings = true;
  bosTokenId: number | number[] | null = 50256;
  eosTokenId: number | number[] | null = 50256;

  get intermediateSize(): number {
    return this.nInner ?? 4 * this.hiddenSize;
  }

  get headDim(): number {
    return this.hiddenSize / this.numAttentionHeads;
  }

  override validate(source = 'config'): void {
    if (this.hiddenSize % this.numAttentionHeads !== 0) {
      throw new ConfigError(`${source}: n_embd ${this.hiddenSize} is not a multiple of n_head ${this.numAttentionHeads}.`);
    }
    super.validate(source);
  }
}
