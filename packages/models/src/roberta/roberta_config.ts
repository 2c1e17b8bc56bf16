import { BertConfig, BERT_CONFIG_FIELDS } from '../bert/bert_config';
import type { ConfigField } from '../pretrained_config';

/**
 * RoBERTa (Liu et al. 2019) keeps BERT's config fields; HF's defaults differ: the byte-level BPE vocabulary
 * (50,265 ids) and `<pad>` = 1, from which position ids are counted.
 */
export class RobertaConfig extends BertConfig {
  static override readonly modelType: string = 'roberta';
  static override readonly fields: readonly ConfigField[] = BERT_CONFIG_FIELDS;

  override vocabSize = 50265;
  override padTokenId = 1;

  override validate(source = 'config'): void {
    if (this.padTokenId === null) throw new (this.constructor as typeof RobertaConfig).errorClass(`${source}: RoBERTa needs pad_token_id: its position ids start after it.`);
    super.validate(source);
  }
}
