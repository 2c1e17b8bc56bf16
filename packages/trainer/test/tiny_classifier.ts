// A test double for @attn/models' task models: bag-of-embeddings classifier with dropout,
// shaped like a Module (HF-style names, a transposed Linear kernel) so the Trainer's whole
// path — grads, freezing, checkpoints in the HF layout, dropout RNG — runs in milliseconds.
import { tf, dropout } from '@attn/tensor';
import type { ModelInputs, ModelOutput } from '@attn/models';
import type { TrainableModel } from '../src/trainable_model';

let counter = 0;

export class TinyClassifier implements TrainableModel {
  training = true;
  private readonly params: Array<[string, tf.Variable]>;

  constructor(
    readonly config: { vocabSize: number; hidden: number; numLabels: number; dropout: number; seed: number },
  ) {
    const { vocabSize, hidden, numLabels, seed } = config;
    const id = counter++;
    const v = (name: string, t: tf.Tensor) => tf.variable(t, true, `tiny${id}/${name}`);
    this.params = [
      ['embeddings.word_embeddings.weight', v('emb', tf.randomNormal([vocabSize, hidden], 0, 0.5, 'float32', seed))],
      ['embeddings.LayerNorm.weight', v('lnw', tf.ones([hidden]))],
      ['embeddings.LayerNorm.bias', v('lnb', tf.zeros([hidden]))],
      ['classifier.weight', v('clsw', tf.randomNormal([hidden, numLabels], 0, 0.3, 'float32', seed + 1))],
      ['classifier.bias', v('clsb', tf.zeros([numLabels]))],
    ];
  }

  private p(name: string): tf.Variable {
    return this.params.find(([n]) => n === name)![1];
  }

  forward(inputs: ModelInputs): ModelOutput {
    return tf.tidy(() => {
      const ids = inputs.inputIds;
      const mask = tf.cast(inputs.attentionMask ?? tf.onesLike(ids), 'float32'); // [B, S]
      const emb = tf.gather(this.p('embeddings.word_embeddings.weight'), tf.cast(ids, 'int32')); // [B, S, H]
      const summed = tf.sum(tf.mul(emb, tf.expandDims(mask, -1)), 1);
      let h = tf.div(summed, tf.expandDims(tf.maximum(tf.sum(mask, 1), 1), -1)); // [B, H]
      h = tf.add(tf.mul(tf.tanh(h), this.p('embeddings.LayerNorm.weight')), this.p('embeddings.LayerNorm.bias'));
      if (this.training && this.config.dropout > 0) h = dropout(h, this.config.dropout);
      const logits = tf.add(tf.matMul(h, this.p('classifier.weight')), this.p('classifier.bias'));
      const out: ModelOutput = { logits };
      if (inputs.labels) {
        // Plain mean cross-entropy (kept local so these tests depend only on core tfjs ops).
        const onehot = tf.oneHot(tf.cast(inputs.labels, 'int32'), this.config.numLabels);
        out.loss = tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
      }
      return out as tf.TensorContainerObject & ModelOutput;
    }) as ModelOutput;
  }

  namedParameters(): Array<[string, tf.Variable]> {
    return [...this.params];
  }
  trainableParameters(): Array<[string, tf.Variable]> {
    return this.params.filter(([, v]) => v.trainable);
  }
  train(mode = true): this {
    this.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }
  stateDict(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.params);
  }
  loadStateDict(sd: Record<string, tf.Tensor>): void {
    for (const [n, v] of this.params) if (sd[n]) v.assign(sd[n]!);
  }
  transposedParameterNames(): Set<string> {
    return new Set(['classifier.weight']);
  }
  freeze(patterns?: string | string[]): this {
    const list = patterns === undefined ? undefined : ([] as string[]).concat(patterns);
    for (const [n, v] of this.params) if (!list || list.some((p) => n.startsWith(p.replace(/\*$/, '')))) v.trainable = false;
    return this;
  }
  unfreeze(patterns?: string | string[]): this {
    const list = patterns === undefined ? undefined : ([] as string[]).concat(patterns);
    for (const [n, v] of this.params) if (!list || list.some((p) => n.startsWith(p.replace(/\*$/, '')))) v.trainable = true;
    return this;
  }
  dispose(): void {
    for (const [, v] of this.params) v.dispose();
  }
}

/** A deterministic synthetic task: label = whether token ids < vocab/2 dominate. */
export function syntheticBatches(opts: { n: number; batchSize: number; seqLen: number; vocabSize: number; seed: number }) {
  let s = opts.seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const items = Array.from({ length: opts.n }, () => {
    const len = 2 + Math.floor(rand() * (opts.seqLen - 1));
    const ids = Array.from({ length: len }, () => 1 + Math.floor(rand() * (opts.vocabSize - 1)));
    const low = ids.filter((x) => x < opts.vocabSize / 2).length;
    return { ids, label: low * 2 >= len ? 1 : 0 };
  });
  return items;
}
