import { PretrainedConfig, ConfigError, type ConfigField } from '../pretrained_config';

/** Thrown for a DistilBERT config.json that is inconsistent; names the file and field. */
export class DistilBertConfigError extends ConfigError {
  override name = 'DistilBertConfigError';
}

/** HF DistilBertConfig's fields, in the order attn writes them; `hidden_size` etc. are read as HF's attribute_map does. */
const DISTILBERT_CONFIG_FIELDS: readonly ConfigField[] = [
  { json: 'vocab_size', prop: 'vocabSize', kind: 'int' },
  { json: 'max_position_embeddings', prop: 'maxPositionEmbeddings', kind: 'int' },
  { json: 'sinusoidal_pos_embds', prop: 'sinusoidalPosEmbds', kind: 'bool' },
  { json: 'n_layers', prop: 'numHiddenLayers', kind: 'int', aliases: ['num_hidden_layers'] },
  { json: 'n_heads', prop: 'numAttentionHeads', kind: 'int', aliases: ['num_attention_heads'] },
  { json: 'dim', prop: 'hiddenSize', kind: 'int', aliases: ['hidden_size'] },
  { json: 'hidden_dim', prop: 'hiddenDim', kind: 'int' },
  { json: 'dropout', prop: 'dropout', kind: 'prob' },
  { json: 'attention_dropout', prop: 'attentionDropout', kind: 'prob' },
  { json: 'activation', prop: 'activation', kind: 'string' },
  { json: 'initializer_range', prop: 'initializerRange', kind: 'number' },
  { json: 'qa_dropout', prop: 'qaDropout', kind: 'prob' },
  { json: 'seq_classif_dropout', prop: 'seqClassifDropout', kind: 'prob' },
  { json: 'pad_token_id', prop: 'padTokenId', kind: 'int', nullable: true },
];

/** DistilBERT (Sanh et al. 2019) with HF's defaults (distilbert-base-uncased: 6 layers of BERT-base width). */
export class DistilBertConfig extends PretrainedConfig {
  static override readonly modelType: string = 'distilbert';
  static override readonly fields: readonly ConfigField[] = DISTILBERT_CONFIG_FIELDS;
  static override readonly errorClass: new (message: string) => Error = DistilBertConfigError;
  static override readonly dropoutFields: readonly string[] = ['dropout', 'attention_dropout'];

  override vocabSize = 30522;
  override maxPositionEmbeddings = 512;
  /** Initialise the position table with Vaswani et al.'s sin/cos values (HF 5 still trains it). */
  sinusoidalPosEmbds = false;
  override numHiddenLayers = 6;
  override numAttentionHeads = 12;
  override hiddenSize = 768;
  /** The feed-forward width. */
  hiddenDim = 4 * 768;
  /** Embeddings, feed-forward output and the token classifier's input. */
  dropout = 0.1;
  attentionDropout = 0.1;
  /** The feed-forward and MLM-head activation; "gelu" is the exact erf form. */
  activation = 'gelu';
  initializerRange = 0.02;
  qaDropout = 0.1;
  /** After the sequence classifier's pre_classifier + ReLU. */
  seqClassifDropout = 0.2;
  override padTokenId: number | null = 0;

  override validate(source = 'config'): void {
    if (this.numAttentionHeads === 0 || this.hiddenSize % this.numAttentionHeads !== 0) {
      throw new DistilBertConfigError(`${source}: dim ${this.hiddenSize} is not a multiple of n_heads ${this.numAttentionHeads}.`);
    }
    super.validate(source);
  }
}
