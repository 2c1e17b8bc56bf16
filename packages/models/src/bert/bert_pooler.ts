import { tf, type Generator } from '@attn/tensor';
import { Module, Linear } from '@attn/layers';
import type { BertConfig } from './bert_config';

/** tanh(dense(hidden[:, 0])): the [CLS] summary that sequence classification reads (HF `pooler`). */
export class BertPooler extends Module {
  readonly dense: Linear;

  constructor(config: BertConfig, opts: { rng?: Generator } = {}) {
    super();
    this.dense = this.registerModule(
      'dense',
      new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, initializerRange: config.initializerRange }, opts),
    );
  }

  /** [batch, seq, hidden] → [batch, hidden] */
  forward(hidden: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [batch, , h] = hidden.shape as [number, number, number];
      const first = tf.reshape(tf.slice(hidden, [0, 0, 0], [batch, 1, h]), [batch, h]);
      return tf.tanh(this.dense.forward(first));
    });
  }
}
