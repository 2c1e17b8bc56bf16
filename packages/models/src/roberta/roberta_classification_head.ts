import { tf, type Generator } from '@attn/tensor';
import { Module, Linear, Dropout, activation } from '@attn/layers';
import type { BertConfig } from '../bert/bert_config';

/**
 * HF RobertaClassificationHead (`classifier`): out_proj(dropout(act(dense(dropout(h[:, 0]))))), act = tanh.
 * ELECTRA's head is the same with gelu.
 */
export class RobertaClassificationHead extends Module {
  readonly dense: Linear;
  readonly dropout: Dropout;
  readonly out_proj: Linear;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(config: BertConfig, opts: { rng?: Generator; activation?: string } = {}) {
    super();
    const init = { initializerRange: config.initializerRange };
    this.act = opts.activation ? activation(opts.activation) : tf.tanh;
    this.dense = this.registerModule('dense', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.hiddenSize, ...init }, opts));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: config.classifierDropout ?? config.hiddenDropoutProb }, opts));
    this.out_proj = this.registerModule('out_proj', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, ...init }, opts));
  }

  /** [batch, seq, hidden] → logits [batch, numLabels] from the first (<s>) token. */
  forward(hidden: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [batch, , h] = hidden.shape as [number, number, number];
      const first = tf.reshape(tf.slice(hidden, [0, 0, 0], [batch, 1, h]), [batch, h]);
      return this.out_proj.forward(this.dropout.forward(this.act(this.dense.forward(this.dropout.forward(first)))));
    });
  }
}
