import { tf } from '@attn/tensor';
import { Linear } from '@attn/layers';
import { BertModel, type BertModelOptions } from '../bert/bert_model';
import type { BertConfig } from '../bert/bert_config';
import type { BertEmbeddingsOptions } from '../bert/bert_embeddings';
import type { ModelTask } from '../pretrained_model';
import type { ModelInputs } from '../model_io';
import { ElectraConfig } from './electra_config';

/**
 * The ELECTRA discriminator body (HF ElectraModel): BERT's embeddings at embedding_size, `embeddings_project`
 * to hidden_size when the two differ, BERT's encoder blocks under `electra.`; no pooler.
 */
export class ElectraModel extends BertModel {
  static override readonly architecture: string = 'ElectraModel';
  static override readonly task: ModelTask = 'base';
  static override readonly configClass = ElectraConfig;
  static override readonly familyPrefix: string = 'electra';
  readonly embeddings_project?: Linear;

  constructor(config: ElectraConfig, opts: BertModelOptions = {}) {
    super(config, { ...opts, addPoolingLayer: false });
    if (config.embeddingSize !== config.hiddenSize) {
      this.embeddings_project = this.registerModule(
        'embeddings_project',
        new Linear({ inFeatures: config.embeddingSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, { rng: this.rng }),
      );
    }
  }

  protected override embeddingsOptions(config: BertConfig): BertEmbeddingsOptions {
    return { embeddingDim: (config as ElectraConfig).embeddingSize };
  }

  protected override embed(inputs: ModelInputs): tf.Tensor {
    const e = super.embed(inputs);
    return this.embeddings_project ? this.embeddings_project.forward(e) : e;
  }
}
