import { BertModel } from '../bert/bert_model';
import type { BertConfig } from '../bert/bert_config';
import type { BertEmbeddingsOptions } from '../bert/bert_embeddings';
import type { ModelTask } from '../pretrained_model';
import { RobertaConfig } from './roberta_config';
import { RobertaEmbeddings } from './roberta_embeddings';

/** The RoBERTa encoder (HF RobertaModel): BERT's blocks and keys under `roberta.`, with fairseq position ids. */
export class RobertaModel extends BertModel {
  static override readonly architecture: string = 'RobertaModel';
  static override readonly task: ModelTask = 'base';
  static override readonly configClass = RobertaConfig;
  static override readonly familyPrefix: string = 'roberta';
  static override readonly embeddingsClass = RobertaEmbeddings;

  protected override embeddingsOptions(config: BertConfig): BertEmbeddingsOptions {
    return { positionPaddingIdx: config.padTokenId };
  }
}
