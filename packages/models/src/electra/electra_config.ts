import { BertConfig, BERT_CONFIG_FIELDS } from '../bert/bert_config';
import type { ConfigField } from '../pretrained_config';

/**
 * ELECTRA (Clark et al. 2020): BERT's fields plus `embedding_size`, the width of the embedding tables, which
 * `embeddings_project` maps to hidden_size when they differ. Defaults are HF ElectraConfig's (the small discriminator).
 */
export class ElectraConfig extends BertConfig {
  static override readonly modelType: string = 'electra';
  static override readonly fields: readonly ConfigField[] = [
    ...BERT_CONFIG_FIELDS.slice(0, 2),
    { json: 'embedding_size', prop: 'embeddingSize', kind: 'int' },
    ...BERT_CONFIG_FIELDS.slice(2),
  ];

  embeddingSize = 128;
  override hiddenSize = 256;
  override numAttentionHeads = 4;
  override intermediateSize = 1024;
}
