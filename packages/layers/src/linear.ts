import { tf, linear } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { normalVariable, constantVariable, type InitOptions } from './parameter_init';

export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  /** Default true. */
  bias?: boolean;
  /** Std of the normal init of the weight (HF BERT: initializer_range, 0.02). */
  initializerRange?: number;
}

export interface LinearOptions extends InitOptions {
  /** Use these variables instead of creating new ones (LoRA wraps an existing Linear this way). */
  weight?: tf.Variable;
  bias?: tf.Variable;
  /**
   * Whether the kernel is stored as the transpose of its checkpoint layout (default true: torch nn.Linear keeps
   * [out, in]). HF's Conv1D (GPT-2) keeps [in, out] on disk, as attn does: false.
   */
  transposedVsTorch?: boolean;
}

/**
 * y = x · W + b. The kernel `weight` is stored [in, out] (tfjs) while torch/HF store [out, in]; it is
 * registered as transposed, so checkpoint I/O transposes it exactly once.
 */
export class Linear extends Module {
  readonly weight: tf.Variable;
  readonly bias?: tf.Variable;
  /** See LinearOptions.transposedVsTorch. */
  readonly transposedVsTorch: boolean;

  constructor(
    readonly config: LinearConfig,
    opts: LinearOptions = {},
  ) {
    super();
    const { inFeatures, outFeatures } = config;
    const weight = opts.weight ?? normalVariable([inFeatures, outFeatures], config.initializerRange ?? 0.02, opts.rng);
    if (!tf.util.arraysEqual(weight.shape, [inFeatures, outFeatures])) {
      throw new Error(`Linear: weight must be [${inFeatures}, ${outFeatures}] ([in, out]), got [${weight.shape.join(', ')}].`);
    }
    this.weight = this.registerParameter('weight', weight, opts.transposedVsTorch ?? true);
    this.transposedVsTorch = opts.transposedVsTorch ?? true;
    if (config.bias ?? true) this.bias = this.registerParameter('bias', opts.bias ?? constantVariable([outFeatures], 0));
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** x: [..., in] → [..., out] */
  forward(x: tf.Tensor): tf.Tensor {
    return linear(x, this.weight, this.bias);
  }
}
