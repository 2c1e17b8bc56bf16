import { PreTrainedModel, type ModelInitOptions, type PreTrainedModelClass } from '../pretrained_model';
import { BertConfig } from './bert_config';

export { initGenerator } from '../pretrained_model';
export type { FromPretrainedOptions, LoadingInfo } from '../pretrained_model';

/** Kept under BERT's name: the options every model constructor takes. */
export type BertInitOptions = ModelInitOptions;

/** A constructor of a concrete BERT model class, as fromPretrained's `this`. */
export type BertModelClass<T extends BertPreTrainedModel> = PreTrainedModelClass<T> & { new (config: BertConfig, opts?: BertInitOptions): T };

/** The BERT family: config class and the `bert.` checkpoint prefix; checkpoint I/O is PreTrainedModel's. */
export abstract class BertPreTrainedModel extends PreTrainedModel<BertConfig> {
  static override readonly configClass = BertConfig;
  static override readonly familyPrefix: string = 'bert';
}
