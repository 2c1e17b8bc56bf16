import { tf, lastEncoderLayer, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { ModuleList } from './module_list';
import { LayerNorm } from './layer_norm';
import { TransformerEncoderLayer, type TransformerEncoderLayerConfig, type EncoderCallOptions } from './transformer_encoder_layer';
import { checkpoint, type GradientCheckpointable } from './gradient_checkpoint';

export interface TransformerEncoderConfig extends TransformerEncoderLayerConfig {
  numLayers: number;
}

// A type alias (not an interface) so tf.tidy accepts it as a TensorContainer.
export type TransformerEncoderOutput = {
  lastHiddenState: tf.Tensor;
  /** One [batch, heads, seq, seq] per layer, when outputAttentions. */
  attentions?: tf.Tensor[];
  /** Input plus each layer's output, when outputHiddenStates. */
  hiddenStates?: tf.Tensor[];
};

/** A stack of TransformerEncoderLayer named `layer.0`, `layer.1`, ... (HF `encoder`); pre-norm adds a final LayerNorm. */
export class TransformerEncoder extends Module implements GradientCheckpointable {
  readonly layer: ModuleList<TransformerEncoderLayer>;
  readonly finalNorm?: LayerNorm;
  /** In training, each layer keeps only its input and is recomputed in backward (see checkpoint). */
  gradientCheckpointing = false;

  constructor(
    readonly config: TransformerEncoderConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const { numLayers, ...layerConfig } = config;
    const layers: TransformerEncoderLayer[] = [];
    for (let i = 0; i < numLayers; i++) layers.push(new TransformerEncoderLayer(layerConfig, opts));
    this.layer = this.registerModule('layer', new ModuleList(layers));
    // Pre-norm leaves the last residual stream un-normalised.
    if (config.normFirst) {
      this.finalNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEps ?? 1e-12 }));
    }
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  forward(x: tf.Tensor, opts: EncoderCallOptions & { outputHiddenStates?: boolean } = {}): TransformerEncoderOutput {
    return tf.tidy(() => {
      const attentions: tf.Tensor[] = [];
      const hiddenStates: tf.Tensor[] = [x];
      let h = x;
      const layers = [...this.layer];
      for (const [i, layer] of layers.entries()) {
        // Attention probabilities are activations: asking for them turns checkpointing off.
        if (this.gradientCheckpointing && layer.training && !opts.outputAttentions) {
          h = checkpoint(layer, (x, [additiveMask]) => layer.forward(x, { additiveMask }).output, h, [opts.additiveMask]);
        } else {
          const call = () => layer.forward(h, { additiveMask: opts.additiveMask, outputAttentions: opts.outputAttentions });
          // A final norm reads every row, so only a stack without one lets its last layer compute the first rows alone.
          const r = i === layers.length - 1 && !this.finalNorm ? lastEncoderLayer(call) : call();
          h = r.output;
          if (r.probs) attentions.push(r.probs);
        }
        hiddenStates.push(h);
      }
      if (this.finalNorm) {
        h = this.finalNorm.forward(h);
        hiddenStates[hiddenStates.length - 1] = h;
      }
      const out: TransformerEncoderOutput = { lastHiddenState: h };
      if (opts.outputAttentions) out.attentions = attentions;
      if (opts.outputHiddenStates) out.hiddenStates = hiddenStates;
      return out;
    });
  }
}
