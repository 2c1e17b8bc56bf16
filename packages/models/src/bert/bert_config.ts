import { PretrainedConfig, ConfigError, type ConfigField, type PretrainedConfigJSON, type ProblemType } from '../pretrained_config';

export type { ProblemType };

/** Thrown for a BERT config.json that is missing, unreadable or inconsistent; names the file and field. */
export class BertConfigError extends ConfigError {
  override name = 'BertConfigError';
}

/** config.json as HF writes it (snake_case). Fields attn does not use are kept and written back. */
export interface BertConfigJSON extends PretrainedConfigJSON {
  vocab_size?: number;
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  intermediate_size?: number;
  hidden_act?: string;
  hidden_dropout_prob?: number;
  attention_probs_dropout_prob?: number;
  max_position_embeddings?: number;
  type_vocab_size?: number;
  initializer_range?: number;
  layer_norm_eps?: number;
  pad_token_id?: number;
  position_embedding_type?: string;
  classifier_dropout?: number | null;
}

export type BertPresetName = 'bert-tiny' | 'bert-mini' | 'bert-small' | 'bert-medium' | 'bert-base';

// Google's BERT miniatures (Turc et al. 2019) and BERT-base; all with the uncased 30522-word vocabulary.
export const BERT_PRESETS: Readonly<Record<BertPresetName, BertConfigJSON>> = {
  'bert-tiny': { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, intermediate_size: 512 },
  'bert-mini': { num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4, intermediate_size: 1024 },
  'bert-small': { num_hidden_layers: 4, hidden_size: 512, num_attention_heads: 8, intermediate_size: 2048 },
  'bert-medium': { num_hidden_layers: 8, hidden_size: 512, num_attention_heads: 8, intermediate_size: 2048 },
  'bert-base': { num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12, intermediate_size: 3072 },
};

/** BERT's config.json fields (HF BertConfig), in the order attn writes them. */
export const BERT_CONFIG_FIELDS: readonly ConfigField[] = [
  { json: 'vocab_size', prop: 'vocabSize', kind: 'int' },
  { json: 'hidden_size', prop: 'hiddenSize', kind: 'int' },
  { json: 'num_hidden_layers', prop: 'numHiddenLayers', kind: 'int' },
  { json: 'num_attention_heads', prop: 'numAttentionHeads', kind: 'int' },
  { json: 'intermediate_size', prop: 'intermediateSize', kind: 'int' },
  { json: 'hidden_act', prop: 'hiddenAct', kind: 'string' },
  { json: 'hidden_dropout_prob', prop: 'hiddenDropoutProb', kind: 'prob' },
  { json: 'attention_probs_dropout_prob', prop: 'attentionProbsDropoutProb', kind: 'prob' },
  { json: 'max_position_embeddings', prop: 'maxPositionEmbeddings', kind: 'int' },
  { json: 'type_vocab_size', prop: 'typeVocabSize', kind: 'int' },
  { json: 'initializer_range', prop: 'initializerRange', kind: 'number' },
  { json: 'layer_norm_eps', prop: 'layerNormEps', kind: 'number' },
  { json: 'pad_token_id', prop: 'padTokenId', kind: 'int' },
  { json: 'position_embedding_type', prop: 'positionEmbeddingType', kind: 'string' },
  { json: 'classifier_dropout', prop: 'classifierDropout', kind: 'prob', nullable: true },
];

/** A BERT configuration with HF's defaults (transformers BertConfig) for every missing field. */
export class BertConfig extends PretrainedConfig {
  static override readonly modelType: string = 'bert';
  static override readonly fields: readonly ConfigField[] = BERT_CONFIG_FIELDS;
  static override readonly errorClass: new (message: string) => Error = BertConfigError;
  static override readonly dropoutFields: readonly string[] = ['hidden_dropout_prob', 'attention_probs_dropout_prob'];

  override vocabSize = 30522;
  override hiddenSize = 768;
  override numHiddenLayers = 12;
  override numAttentionHeads = 12;
  intermediateSize = 3072;
  /** "gelu" is the exact erf form. */
  hiddenAct = 'gelu';
  hiddenDropoutProb = 0.1;
  attentionProbsDropoutProb = 0.1;
  override maxPositionEmbeddings = 512;
  typeVocabSize = 2;
  initializerRange = 0.02;
  layerNormEps = 1e-12;
  override padTokenId = 0;
  positionEmbeddingType = 'absolute';
  /** Dropout before a classifier head; null = hiddenDropoutProb (HF). */
  classifierDropout: number | null = null;

  get headDim(): number {
    return this.hiddenSize / this.numAttentionHeads;
  }

  /** A named size (Google's BERT miniatures or BERT-base) with optional config.json overrides. */
  static preset(name: BertPresetName, overrides: BertConfigJSON = {}): BertConfig {
    const p = BERT_PRESETS[name];
    if (!p) throw new BertConfigError(`Unknown BERT preset "${name}"; known: ${Object.keys(BERT_PRESETS).join(', ')}.`);
    return BertConfig.fromJSON({ ...p, ...overrides }, `preset ${name}`);
  }

  override validate(source = 'config'): void {
    if (this.positionEmbeddingType !== 'absolute') {
      throw new BertConfigError(`${source}: position_embedding_type "${this.positionEmbeddingType}" is not supported; attn implements "absolute".`);
    }
    if (this.hiddenSize % this.numAttentionHeads !== 0) {
      throw new BertConfigError(
        `${source}: hidden_size ${this.hiddenSize} is not a multiple of num_attention_heads ${this.numAttentionHeads}.`,
      );
    }
    super.validate(source);
  }

  override toJSON(): BertConfigJSON {
    return super.toJSON() as BertConfigJSON;
  }
}
