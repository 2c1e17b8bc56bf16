import { tf, type Generator } from '@attn/tensor';
import { Module, type LayerConfig } from './module';
import { Linear, type LinearConfig } from './linear';
import { Dropout } from './dropout';
import { uniformVariable, constantVariable } from './parameter_init';

export interface LoRAConfig {
  /** Rank r of the update B·A. */
  rank: number;
  /** The update is scaled by alpha / rank (default alpha = rank, i.e. scale 1). */
  alpha?: number;
  /** Dropout on the adapter's input (PEFT lora_dropout), default 0. */
  dropout?: number;
}

/**
 * Low-rank adapter on a Linear (Hu et al. 2021, "LoRA"): y = x W + b + (alpha / r) · dropout(x) A B.
 * Keeps the wrapped Linear's `weight`/`bias` under the same names (so the base checkpoint still loads) and
 * adds `lora_A.weight` [r, in] and `lora_B.weight` [out, r] (torch layout on disk, as PEFT without ".default").
 * B starts at zero, so the adapted layer starts equal to the base one.
 */
export class LoRALinear extends Linear {
  readonly lora_A: Linear;
  readonly lora_B: Linear;
  readonly loraDropout: Dropout;
  readonly scaling: number;

  constructor(
    base: Linear,
    readonly lora: LoRAConfig,
    opts: { rng?: Generator } = {},
  ) {
    super(base.config, { weight: base.weight, bias: base.bias, transposedVsTorch: base.transposedVsTorch });
    const { inFeatures, outFeatures } = base.config;
    const { rank } = lora;
    if (!(Number.isInteger(rank) && rank > 0)) throw new Error(`LoRALinear: rank must be a positive integer, got ${rank}.`);
    this.scaling = (lora.alpha ?? rank) / rank;
    // torch kaiming_uniform(a=sqrt 5) on A, as PEFT; B = 0.
    const a = uniformVariable([inFeatures, rank], 1 / Math.sqrt(inFeatures), opts.rng);
    this.lora_A = this.registerModule('lora_A', new Linear({ inFeatures, outFeatures: rank, bias: false }, { weight: a }));
    const b = constantVariable([rank, outFeatures], 0);
    this.lora_B = this.registerModule('lora_B', new Linear({ inFeatures: rank, outFeatures, bias: false }, { weight: b }));
    this.loraDropout = this.registerModule('lora_dropout', new Dropout({ rate: lora.dropout ?? 0 }, opts));
  }

  override getConfig(): LayerConfig {
    return { ...this.config, rank: this.lora.rank, alpha: this.lora.alpha ?? this.lora.rank, dropout: this.lora.dropout ?? 0 };
  }

  static fromConfig(config: LayerConfig): LoRALinear {
    const { rank, alpha, dropout, ...linear } = config as unknown as LinearConfig & LoRAConfig;
    return new LoRALinear(new Linear(linear), { rank, alpha, dropout });
  }

  override forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const base = super.forward(x);
      const update = this.lora_B.forward(this.lora_A.forward(this.loraDropout.forward(x)));
      return tf.add(base, tf.mul(update, this.scaling));
    });
  }

  /** A plain Linear with the update folded in (W + scale · A B); shares the bias variable, copies the weight. */
  merged(): Linear {
    const w = tf.tidy(() => tf.variable(tf.add(this.weight, tf.mul(tf.matMul(this.lora_A.weight, this.lora_B.weight), this.scaling))));
    const bias = this.bias ? tf.variable(this.bias.clone()) : undefined;
    return new Linear(this.config, { weight: w, bias, transposedVsTorch: this.transposedVsTorch });
  }
}

export interface ApplyLoRAOptions extends LoRAConfig {
  /** Local names of the Linear children to adapt, e.g. ['query', 'value'] (PEFT target_modules). */
  targetModules: string[];
  /** Globs of parameters to keep trainable besides the adapters (PEFT modules_to_save), e.g. ['classifier.*']. */
  trainable?: string[];
  rng?: Generator;
}

/**
 * Wraps every Linear child whose name is in targetModules with a LoRALinear, then freezes every parameter
 * except the adapters (and `trainable`). Returns the full names of the adapted layers.
 */
export function applyLoRA(module: Module, opts: ApplyLoRAOptions): string[] {
  const adapted: string[] = [];
  for (const [path, parent] of module.namedModules()) {
    for (const [name, child] of parent.namedChildren()) {
      if (!opts.targetModules.includes(name) || !(child instanceof Linear) || child instanceof LoRALinear) continue;
      parent.replaceModule(name, new LoRALinear(child, opts, { rng: opts.rng }));
      adapted.push(path ? `${path}.${name}` : name);
    }
  }
  if (adapted.length === 0) {
    throw new Error(`applyLoRA: no Linear child is named any of ${opts.targetModules.join(', ')}; BERT's are query, key, value, dense.`);
  }
  module.freeze();
  module.unfreeze(['*.lora_A.weight', '*.lora_B.weight', ...(opts.trainable ?? [])]);
  return adapted;
}
