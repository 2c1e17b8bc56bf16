import { PretrainedConfig, ConfigError, type ConfigField } from '../pretrained_config';

/** Llama's config.json names (HF LlamaConfig). */
export const LLAMA_CONFIG_FIELDS: readonly ConfigField[] = [
  { json: 'vocab_size', prop: 'vocabSize', kind: 'int' },
  { json: 'hidden_size', prop: 'hiddenSize', kind: 'int' },
  { json: 'intermediate_size', prop: 'intermediateSize', kind: 'int' },
  { json: 'num_hidden_layers', prop: 'numHiddenLayers', kind: 'int' },
  { json: 'num_attention_heads', prop: 'numAttentionHeads', kind: 'int' },
  { json: 'num_key_value_heads', prop: 'numKeyValueHeadsField', kind: 'int', nullable: true },
  { json: 'head_dim', prop: 'headDimField', kind: 'int', nullable: true },
  { json: 'hidden_act', prop: 'hiddenAct', kind: 'string' },
  { json: 'max_position_embeddings', prop: 'maxPositionEmbeddings', kind: 'int' },
  { json: 'initializer_range', prop: 'initializerRange', kind: 'number' },
  { json: 'rms_norm_eps', prop: 'rmsNormEps', kind: 'number' },
  { json: 'rope_parameters', prop: 'ropeParameters', kind: 'json' },
  { json: 'rope_theta', prop: 'legacyRopeTheta', kind: 'number' },
  { json: 'rope_scaling', prop: 'ropeScaling', kind: 'json' },
  { json: 'attention_bias', prop: 'attentionBias', kind: 'bool' },
  { json: 'attention_dropout', prop: 'attentionDropout', kind: 'prob' },
  { json: 'mlp_bias', prop: 'mlpBias', kind: 'bool' },
  { json: 'tie_word_embeddings', prop: 'tieWordEmbeddings', kind: 'bool' },
  { json: 'bos_token_id', prop: 'bosTokenId', kind: 'json' },
  { json: 'eos_token_id', prop: 'eosTokenId', kind: 'json' },
  { json: 'pad_token_id', prop: 'padTokenId', kind: 'int', nullable: true },
];

/**
 * Llama (Touvron et al. 2023) hyperparameters with HF LlamaConfig's defaults (Llama-2-7B). The rotary base is
 * `rope_parameters.rope_theta` (transformers 5) or a top-level `rope_theta` (older configs); both are read and
 * written back as they came.
 */
export class LlamaConfig extends PretrainedConfig {
  static override readonly modelType: string = 'llama';
  static override readonly fields: readonly ConfigField[] = LLAMA_CONFIG_FIELDS;
  static override readonly dropoutFields: readonly string[] = ['attention_dropout'];

  override vocabSize = 32000;
  override hiddenSize = 4096;
  override numHiddenLayers = 32;
  override numAttentionHeads = 32;
  override maxPositionEmbeddings = 2048;
  override padTokenId: number | null = null;
  intermediateSize = 11008;
  /** null = num_attention_heads (multi-head attention); fewer = grouped-query attention. */
  numKeyValueHeadsField: number | null = null;
  /** null = hidden_size / num_attention_heads. */
  headDimField: number | null = null;
  hiddenAct = 'silu';
  initializerRange = 0.02;
  rmsNormEps = 1e-6;
  ropeParameters: { rope_theta?: number; rope_type?: string; [k: string]: unknown } | null | undefined = undefined;
  legacyRopeTheta: number | undefined = undefined;
  ropeScaling: Record<string, unknown> | null | undefined = undefined;
  attentionBias = false;
  attentionDropout = 0;
  mlpBias = false;
  tieWordEmbeddings = false;
  bosTokenId: number | number[] | null = 1;
  eosTokenId: number | number[] | null = 2;

  get numKeyValueHeads(): number {
    return this.numKeyValueHeadsField ?? this.numAttentionHeads;
  }

  get headDim(): number {
    return this.headDimField ?? this.hiddenSize / this.numAttentionHeads;
  }

  /** rope_parameters.rope_theta, else the top-level rope_theta, else 10000. */
  get ropeTheta(): number {
    return this.ropeParameters?.rope_theta ?? this.legacyRopeTheta ?? 10000;
  }

  override validate(source = 'config'): void {
    const heads = this.numAttentionHeads;
    const kv = this.numKeyValueHeads;
    if (kv === 0 || heads % kv !== 0) {
      throw new ConfigError(`${source}: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kv}; each key/value head serves a whole group of query heads.`);
    }
    if (this.headDimField === null && this.hiddenSize % heads !== 0) {
      throw new ConfigError(`${source}: hidden_size ${this.hiddenSize} is not a multiple of num_attention_heads ${heads}; set head_dim.`);
    }
    if (this.headDim % 2 !== 0) throw new ConfigError(`${source}: head_dim ${this.headDim} is odd; rotary embeddings rotate pairs of dimensions.`);
    const theta = this.ropeParameters?.rope_theta;
    if (this.ropeParameters != null && (typeof theta !== 'number' || !(theta > 0))) {
      throw new ConfigError(`${source}: rope_parameters.rope_theta must be a positive number, got ${JSON.stringify(theta)}.`);
    }
    for (const [field, p] of [['rope_parameters', this.ropeParameters], ['rope_scaling', this.ropeScaling]] as const) {
      const type = p?.['rope_type'] ?? p?.['type'];
      if (p != null && type !== undefined && type !== 'default') {
        throw new ConfigError(`${source}: ${field} has rope_type "${String(type)}"; attn implements the "default" rotary embedding only (no linear/dynamic/yarn/llama3 scaling).`);
      }
    }
    super.validate(source);
  }
}
