import { BertConfig, BertConfigError } from '../bert/bert_config';
import type { ConfigField } from '../pretrained_config';

/** HF AlbertConfig's fields, in the order attn writes them. */
const ALBERT_CONFIG_FIELDS: readonly ConfigField[] = [
  { json: 'vocab_size', prop: 'vocabSize', kind: 'int' },
  { json: 'embedding_size', prop: 'embeddingSize', kind: 'int' },
  { json: 'hidden_size', prop: 'hiddenSize', kind: 'int' },
  { json: 'num_hidden_layers', prop: 'numHiddenLayers', kind: 'int' },
  { json: 'num_hidden_groups', prop: 'numHiddenGroups', kind: 'int' },
  { json: 'num_attention_heads', prop: 'numAttentionHeads', kind: 'int' },
  { json: 'intermediate_size', prop: 'intermediateSize', kind: 'int' },
  { json: 'inner_group_num', prop: 'innerGroupNum', kind: 'int' },
  { json: 'hidden_act', prop: 'hiddenAct', kind: 'string' },
  { json: 'hidden_dropout_prob', prop: 'hiddenDropoutProb', kind: 'prob' },
  { json: 'attention_probs_dropout_prob', prop: 'attentionProbsDropoutProb', kind: 'prob' },
  { json: 'max_position_embeddings', prop: 'maxPositionEmbeddings', kind: 'int' },
  { json: 'type_vocab_size', prop: 'typeVocabSize', kind: 'int' },
  { json: 'initializer_range', prop: 'initializerRange', kind: 'number' },
  { json: 'layer_norm_eps', prop: 'layerNormEps', kind: 'number' },
  { json: 'classifier_dropout_prob', prop: 'classifierDropout', kind: 'prob', nullable: true },
  { json: 'pad_token_id', prop: 'padTokenId', kind: 'int', nullable: true },
];

/**
 * ALBERT (Lan et al. 2020): BERT's fields plus factorised embeddings (`embedding_size` wide, mapped to
 * hidden_size) and cross-layer sharing: num_hidden_layers applications of num_hidden_groups layer groups, each
 * group inner_group_num layers deep. Defaults are HF AlbertConfig's (albert-xxlarge); `classifier_dropout_prob`
 * fills BERT's classifierDropout.
 */
export class AlbertConfig extends BertConfig {
  static override readonly modelType: string = 'albert';
  static override readonly fields: readonly ConfigField[] = ALBERT_CONFIG_FIELDS;
  static override readonly dropoutFields: readonly string[] = ['hidden_dropout_prob', 'attention_probs_dropout_prob'];

  override vocabSize = 30000;
  embeddingSize = 128;
  override hiddenSize = 4096;
  override numHiddenLayers = 12;
  numHiddenGroups = 1;
  override numAttentionHeads = 64;
  override intermediateSize = 16384;
  innerGroupNum = 1;
  /** The tanh approximation of gelu. */
  override hiddenAct = 'gelu_new';
  override hiddenDropoutProb = 0;
  override attentionProbsDropoutProb = 0;
  override classifierDropout: number | null = 0.1;

  override validate(source = 'config'): void {
    if (this.numHiddenGroups < 1 || this.innerGroupNum < 1) {
      throw new BertConfigError(`${source}: num_hidden_groups (${this.numHiddenGroups}) and inner_group_num (${this.innerGroupNum}) must be at least 1.`);
    }
    super.validate(source);
  }
}
