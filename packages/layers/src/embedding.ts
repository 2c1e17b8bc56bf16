import { tf, randomNormal } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { initVariable, type InitOptions } from './parameter_init';

export interface EmbeddingConfig {
  numEmbeddings: number;
  embeddingDim: number;
  /**
   * Row that gets no gradient from the lookup and starts at zero (torch padding_idx; BERT: [PAD] = 0).
   * The row's value is still read in the forward pass.
   */
  paddingIdx?: number | null;
  initializerRange?: number;
}

/**
 * Gathers rows of `weight` [numEmbeddings, embeddingDim]. The lookup's gradient is a segment sum over the
 * ids with the padding rows' contributions dropped, which is what torch's padding_idx does.
 */
export class Embedding extends Module {
  readonly weight: tf.Variable;

  constructor(
    readonly config: EmbeddingConfig,
    opts: InitOptions = {},
  ) {
    super();
    const { numEmbeddings, embeddingDim, paddingIdx } = config;
    if (paddingIdx != null && (paddingIdx < 0 || paddingIdx >= numEmbeddings)) {
      throw new Error(`Embedding: paddingIdx ${paddingIdx} is outside [0, ${numEmbeddings}).`);
    }
    const std = config.initializerRange ?? 0.02;
    // normal(0, std) with the padding row zeroed, as torch/HF initialise an embedding with padding_idx.
    const weight = initVariable([numEmbeddings, embeddingDim], () => {
      const w = randomNormal([numEmbeddings, embeddingDim], { mean: 0, std, rng: opts.rng });
      if (paddingIdx == null) return w;
      const isPad = tf.equal(tf.range(0, numEmbeddings, 1, 'int32'), paddingIdx).reshape([numEmbeddings, 1]);
      return tf.where(isPad, tf.zerosLike(w), w);
    });
    this.weight = this.registerParameter('weight', weight);
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** ids: int32 [...] → [..., embeddingDim] */
  forward(ids: tf.Tensor): tf.Tensor {
    const { paddingIdx, numEmbeddings } = this.config;
    if (paddingIdx == null) return tf.gather(this.weight, ids);
    // customGrad passes the inputs then the save function; tfjs types them as one variadic list.
    const lookup = tf.customGrad(((weight: tf.Tensor, idx: tf.Tensor, save: tf.GradSaveFunc) => {
      save([idx]);
      return {
        value: tf.gather(weight, idx),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const flatIds = tf.reshape(saved[0]!, [-1]);
          const dim = dy.shape[dy.shape.length - 1]!;
          // A scalar of the ids' dtype: a mixed-dtype notEqual casts both operands.
          const keep = tf.cast(tf.notEqual(flatIds, tf.scalar(paddingIdx, flatIds.dtype)), 'float32').reshape([-1, 1]);
          const rows = tf.mul(tf.reshape(dy, [-1, dim]), keep);
          return [tf.unsortedSegmentSum(rows, flatIds as tf.Tensor1D, numEmbeddings), tf.zerosLike(saved[0]!)];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return lookup(this.weight, ids);
  }
}
