import { int8Linear, quantizePerChannel, QuantizationError, QuantizedWeight, tf } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { Linear, type LinearConfig } from './linear';
import { LoRALinear } from './lora';
import { globToRegExp, matchesAny } from './glob_pattern';

/**
 * A Linear for inference with an int8 weight (dynamic quantization, as onnxruntime's quantize_dynamic): the weight
 * is symmetric int8 with one scale per output channel, activations are quantized per row when it runs, products
 * are summed in int32 (natively: AVX-512 VNNI / AVX2) and scaled back, then the float bias is added.
 * `weight` is the QuantizedWeight (torch layout [out, in]); `bias` stays a float parameter. No gradient.
 */
export class QuantizedLinear extends Module {
  readonly bias?: tf.Variable;

  constructor(
    readonly config: LinearConfig,
    readonly weight: QuantizedWeight,
    bias?: tf.Variable,
    /** As Linear's: whether the float weight was stored transposed vs torch (HF Conv1D keeps [in, out] on disk). */
    readonly transposedVsTorch = true,
  ) {
    super();
    if (weight.inFeatures !== config.inFeatures || weight.outFeatures !== config.outFeatures) {
      throw new QuantizationError(
        `QuantizedLinear: weight is [${weight.outFeatures}, ${weight.inFeatures}] ([out, in]) but the layer is ${config.inFeatures} → ${config.outFeatures}.`,
      );
    }
    if (bias) this.bias = this.registerParameter('bias', bias);
  }

  /** Quantizes a Linear's weight per output channel; shares its bias variable. */
  static fromLinear(linear: Linear): QuantizedLinear {
    return new QuantizedLinear(linear.config, quantizePerChannel(linear.weight), linear.bias, linear.transposedVsTorch);
  }

  override getConfig(): LayerConfig {
    return { ...this.config };
  }

  /** x: [..., in] → [..., out] */
  forward(x: tf.Tensor): tf.Tensor {
    return int8Linear(x, this.weight, this.bias);
  }

  protected override disposeResources(): void {
    this.weight.dispose();
  }
}

export interface QuantizeOptions {
  /** Globs of module paths to keep in float, e.g. ['classifier'] or ['*.pooler.dense'] (default: none). */
  exclude?: string[];
  /**
   * Int8 weights to use instead of quantizing the float ones, by module path (a quantized checkpoint being loaded).
   * Every Linear not listed is then left in float.
   */
  weights?: Map<string, QuantizedWeight>;
}

/**
 * Replaces every Linear below `module` (Conv1D too) with a QuantizedLinear, in place, and returns the paths of the
 * replaced modules; the float weights are freed. A LoRALinear must be merged first (merged()). Put the model in
 * eval mode: a quantized model cannot be trained.
 */
export function quantizeLinears(module: Module, opts: QuantizeOptions = {}): string[] {
  const exclude = (opts.exclude ?? []).map(globToRegExp);
  const done: string[] = [];
  for (const [path, parent] of module.namedModules()) {
    for (const [name, child] of parent.namedChildren()) {
      if (!(child instanceof Linear)) continue;
      const full = path ? `${path}.${name}` : name;
      if (child instanceof LoRALinear) {
        throw new QuantizationError(`quantize: ${full} is a LoRALinear; merge the adapter first (mergeAndUnload / LoRALinear.merged()).`);
      }
      if (matchesAny(full, exclude)) continue;
      let quantized: QuantizedLinear;
      if (opts.weights) {
        const w = opts.weights.get(full);
        if (!w) continue;
        quantized = new QuantizedLinear(child.config, w, child.bias, child.transposedVsTorch);
      } else {
        quantized = QuantizedLinear.fromLinear(child);
      }
      parent.replaceModule(name, quantized);
      child.weight.dispose(); // the bias lives on in the QuantizedLinear
      done.push(full);
    }
  }
  return done;
}
