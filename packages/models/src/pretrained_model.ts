import { tf, Generator, type WritableDtype, loadCheckpointWeights, prefetchValues, saveSafetensors, parseSafetensors, serializeSafetensors } from '@attn/tensor';
import { Module, deferParameterInit, setAttentionImplementation, isGradientCheckpointable, type GradientCheckpointable } from '@attn/layers';
import type { ConfigClass, PretrainedConfig, ProblemType } from './pretrained_config';
import { CheckpointShapeError } from './checkpoint_errors';
import type { ModelInputs, ModelOutput } from './model_io';
import { nodeFs, joinPath, writeFileAtomic } from './model_files';
import { applyQuantizedWeights, QUANT_METHOD, quantizationConfigJSON, quantizedStateDict, takeQuantizedWeights } from './quantized_checkpoint';

/** The dtypes savePretrained writes floating-point weights in. */
export const SAVE_DTYPES = ['float32', 'float16', 'bfloat16'] as const;
export type SaveDtype = (typeof SAVE_DTYPES)[number];

export interface SavePretrainedOptions {
  /** Default: the dtype the checkpoint came in when float16 / bfloat16 (sourceDtype), else float32. Trainer checkpoints pass float32. */
  dtype?: SaveDtype;
}

/** What a task head is for; the registry maps HF architecture names to one of these. */
export type ModelTask =
  | 'base'
  | 'sequence-classification'
  | 'token-classification'
  | 'question-answering'
  | 'masked-lm'
  | 'causal-lm';

export interface ModelInitOptions {
  /** Seed for the initial weights and dropout masks; default: @attn/tensor's global generator. */
  seed?: number;
  rng?: Generator;
  /**
   * The registered attention implementation every attention layer uses (HF's attn_implementation): 'sdpa'
   * (default, as in HF: the native fused kernel where @attn/tensor-native provides it and the input is long enough for
   * it to be faster, eager otherwise), 'eager' (tfjs ops, the probabilities materialised) or 'memory_efficient' (tiled,
   * memory linear in the sequence length, for long inputs). Applied by
   * fromPretrained, loadModel and createModel; on a model built with `new`, call setAttnImplementation.
   */
  attnImplementation?: string;
}

export interface FromPretrainedOptions extends ModelInitOptions {
  /** Replace the classifier's label count (fresh LABEL_i names unless id2label is given). */
  numLabels?: number;
  id2label?: Record<number, string>;
  label2id?: Record<string, number>;
  problemType?: ProblemType | null;
  /** Initialise tensors whose checkpoint shape does not match the config instead of throwing. */
  ignoreMismatchedSizes?: boolean;
  /** Do not print HF's warnings about newly initialised or unused weights. */
  quiet?: boolean;
}

/** What fromPretrained did with each key, in HF's terms. */
export interface LoadingInfo {
  /** Model parameters the checkpoint lacked: left freshly initialised. */
  missingKeys: string[];
  /** Checkpoint keys the model has no use for. */
  unexpectedKeys: string[];
  /** Parameters left initialised because of ignoreMismatchedSizes, with both shapes (torch layout). */
  mismatchedKeys: Array<{ key: string; checkpoint: number[]; model: number[] }>;
}

/** Which parameters are embeddings, which encoder layer a parameter is in, and what the backbone is: freezing reads it. */
export interface ParameterLayout {
  isEmbedding(name: string): boolean;
  /** The block index of a parameter in a stack of layers, or undefined (embeddings, head, shared layers). */
  layerIndex(name: string): number | undefined;
  /** Inside the pretrained body (everything but the task head). */
  isBackbone(name: string): boolean;
}

/** A concrete model class as fromPretrained and the registry see it. */
export interface PreTrainedModelClass<T extends PreTrainedModel = PreTrainedModel> {
  new (config: never, opts?: ModelInitOptions): T;
  /** HF's class name: written to config.json's `architectures`; never taken from constructor.name (minifiers rename). */
  readonly architecture: string;
  readonly task: ModelTask;
  readonly configClass: ConfigClass;
}

/** The Generator a model draws its initial weights and dropout seeds from. */
export function initGenerator(opts: ModelInitOptions = {}): Generator | undefined {
  return opts.rng ?? (opts.seed !== undefined ? new Generator(opts.seed) : undefined);
}

// Buffers that some checkpoints store and HF ignores on load.
const IGNORED_KEY = /(^|\.)(position_ids|masked_bias|attn\.bias|rotary_emb\.inv_freq)$/;

function applyLabelOptions(config: PretrainedConfig, opts: FromPretrainedOptions): void {
  if (opts.id2label) {
    config.id2label = { ...opts.id2label };
    config.label2id = opts.label2id ?? Object.fromEntries(Object.entries(opts.id2label).map(([k, v]) => [v, Number(k)]));
  } else if (opts.numLabels !== undefined) {
    config.numLabels = opts.numLabels;
  }
  if (opts.problemType !== undefined) config.problemType = opts.problemType;
}

/**
 * Builds `cls` from a config and HF-layout tensors: parameters start as zeros and only those the checkpoint
 * lacks get their random init (HF's no_init_weights). The caller keeps ownership of `weights`.
 */
export function modelFromWeights<T extends PreTrainedModel>(
  cls: PreTrainedModelClass<T>,
  config: PretrainedConfig,
  weights: Record<string, tf.Tensor>,
  opts: FromPretrainedOptions & { source?: string } = {},
): T {
  applyLabelOptions(config, opts);
  const Ctor = cls as unknown as new (c: PretrainedConfig, o?: ModelInitOptions) => T;
  const { value: model, materialize } = deferParameterInit(() => new Ctor(config, opts));
  try {
    // An int8 checkpoint (quantized_checkpoint.ts): its Linears become QuantizedLinears before the float tensors load.
    const quantized = takeQuantizedWeights(config, weights, opts.source ?? 'checkpoint');
    if (quantized) applyQuantizedWeights(model, quantized.int8, opts.source ?? 'checkpoint');
    const info = model.loadPretrainedWeights(quantized?.floats ?? weights, { source: opts.source, ignoreMismatchedSizes: opts.ignoreMismatchedSizes, quiet: opts.quiet });
    const params = new Map(model.namedParameters());
    materialize([...info.missingKeys, ...info.mismatchedKeys.map((m) => m.key)].map((k) => params.get(k)!));
    model.loadingInfo = info;
    if (opts.attnImplementation) model.setAttnImplementation(opts.attnImplementation);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model.eval() as T;
}

/**
 * What every pretrained model shares, whatever its family: HF checkpoint I/O for directories and bytes.
 * Parameter names are HF keys; Linear kernels are transposed once here, on the way in and out. A family
 * subclass sets `configClass` and `familyPrefix` (`bert`, `roberta`, ...); each concrete class sets its
 * `architecture` and `task`.
 */
export abstract class PreTrainedModel<C extends PretrainedConfig = PretrainedConfig> extends Module {
  /** HF's class name, e.g. 'BertForSequenceClassification'. */
  static readonly architecture: string = '';
  static readonly task: ModelTask = 'base';
  static readonly configClass: ConfigClass;
  /** The base model's key prefix in checkpoints of models with a head (`bert`, `roberta`, `transformer`, `model`). */
  static readonly familyPrefix: string = '';

  abstract readonly config: C;
  /** familyPrefix for models with a head (keys `bert.*`), '' for the bare base model. */
  abstract readonly baseModelPrefix: string;
  /** Set by fromPretrained. */
  loadingInfo?: LoadingInfo;
  /**
   * The seeded stream for initial weights and dropout masks when the model was built with a seed (else the
   * global generator is used); a trainer saves its state in checkpoints so a resumed run draws the same masks.
   */
  rng?: Generator;

  abstract forward(inputs: ModelInputs): ModelOutput;

  get architecture(): string {
    return (this.constructor as unknown as PreTrainedModelClass).architecture;
  }

  get task(): ModelTask {
    return (this.constructor as unknown as PreTrainedModelClass).task;
  }

  get familyPrefix(): string {
    return (this.constructor as unknown as { familyPrefix: string }).familyPrefix;
  }

  /** Switches every attention layer to a registered implementation (HF's set_attn_implementation); unknown names throw. */
  setAttnImplementation(name: string): this {
    setAttentionImplementation(this, name);
    return this;
  }

  /**
   * HF's gradient_checkpointing_enable(): in training, every block of the model's stack keeps only its
   * input and is recomputed in the backward pass (about one more forward per step, for the memory of one
   * block's activations instead of all of them). Dropout masks are replayed, so gradients are unchanged.
   */
  gradientCheckpointingEnable(): this {
    const stacks = this.gradientCheckpointingStacks();
    if (stacks.length === 0) throw new Error(`${this.className} does not support gradient checkpointing (no block stack that can recompute its blocks).`);
    for (const m of stacks) m.gradientCheckpointing = true;
    return this;
  }

  /** HF's gradient_checkpointing_disable(). */
  gradientCheckpointingDisable(): this {
    for (const m of this.gradientCheckpointingStacks()) m.gradientCheckpointing = false;
    return this;
  }

  /** HF's is_gradient_checkpointing. */
  get isGradientCheckpointing(): boolean {
    return this.gradientCheckpointingStacks().some((m) => m.gradientCheckpointing);
  }

  /** The stacks whose blocks can be recomputed; a model that keeps its body outside the module tree adds it. */
  protected gradientCheckpointingStacks(): GradientCheckpointable[] {
    const out: GradientCheckpointable[] = [];
    for (const [, m] of this.namedModules()) if (isGradientCheckpointable(m)) out.push(m);
    return out;
  }

  /** The explicit architecture name, so that warnings and saves survive minification. */
  override get className(): string {
    return this.architecture || super.className;
  }

  /** Checkpoint keys that name a tied tensor (null: drop) or an alias of a parameter (MLM decoder). */
  protected checkpointAliases(): Record<string, string | null> {
    return {};
  }

  /** Names of the encoder's repeated blocks, `<...>.layer.N.` by default; families with other names override. */
  protected layerIndexPattern(): RegExp {
    return /(^|\.)(?:encoder\.layer|transformer\.layer|transformer\.h|layers|h)\.(\d+)\./;
  }

  /** Embedding parameters (word, position, type, their norm and projection). */
  protected embeddingPattern(): RegExp {
    return /(^|\.)(embeddings(_project)?|wte|wpe|embed_tokens)\./;
  }

  parameterLayout(): ParameterLayout {
    const prefix = this.baseModelPrefix;
    const layer = this.layerIndexPattern();
    const embedding = this.embeddingPattern();
    return {
      isEmbedding: (n) => embedding.test(n),
      layerIndex: (n) => {
        const m = layer.exec(n);
        return m ? Number(m[2]) : undefined;
      },
      isBackbone: (n) => prefix === '' || n.startsWith(`${prefix}.`),
    };
  }

  /**
   * Loads config.json and model.safetensors (or a sharded index) from an HF model directory. Works for a
   * checkpoint with this head or a bare base model (the head is then initialised, with HF's warning).
   * Returns the model in eval mode, as HF does; call train() before fine-tuning.
   */
  static async fromPretrained<T extends PreTrainedModel>(this: PreTrainedModelClass<T>, dir: string, opts: FromPretrainedOptions = {}): Promise<T> {
    const config = await this.configClass.fromFile(joinPath(dir, 'config.json'));
    const weights = await loadCheckpointWeights(dir);
    try {
      return modelFromWeights(this, config, weights, { ...opts, source: dir });
    } finally {
      tf.dispose(Object.values(weights));
    }
  }

  /**
   * Copies HF-layout tensors (torch [out, in] Linear weights, keys with or without the family prefix) into the
   * parameters. The caller keeps ownership of `weights`.
   */
  loadPretrainedWeights(weights: Record<string, tf.Tensor>, opts: { source?: string; ignoreMismatchedSizes?: boolean; quiet?: boolean } = {}): LoadingInfo {
    const source = opts.source ?? 'checkpoint';
    const named = this.namedParameters();
    const params = new Map(named);
    const transposed = this.transposedParameterNames();
    const prefix = this.baseModelPrefix;
    const family = this.familyPrefix;
    const keys = Object.keys(weights);
    const ckptHasPrefix = family !== '' && keys.some((k) => k.startsWith(`${family}.`));
    const aliases = this.checkpointAliases();

    // HF's rules: a base-model checkpoint (no prefix) gains the prefix in a model with a head;
    // a bare base model drops it; TF-era LayerNorm gamma/beta are weight/bias.
    const toModelKey = (key: string): string => {
      let k = key.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
      if (prefix && !ckptHasPrefix) k = `${prefix}.${k}`;
      else if (!prefix && family && k.startsWith(`${family}.`)) k = k.slice(family.length + 1);
      return k;
    };

    // model key → checkpoint key; aliases (a tied decoder, decoder.bias for cls.predictions.bias) resolved after.
    const byModelKey = new Map<string, string>();
    for (const key of keys) byModelKey.set(toModelKey(key), key);
    for (const [alias, target] of Object.entries(aliases)) {
      const key = byModelKey.get(alias);
      if (key === undefined) continue;
      byModelKey.delete(alias);
      if (target !== null && !byModelKey.has(target)) byModelKey.set(target, key);
    }

    const assignments = new Map<string, tf.Tensor>();
    const unexpectedKeys: string[] = [];
    const mismatchedKeys: LoadingInfo['mismatchedKeys'] = [];
    for (const [target, key] of byModelKey) {
      const v = params.get(target);
      if (!v) {
        if (!IGNORED_KEY.test(key)) unexpectedKeys.push(key);
        continue;
      }
      const t = weights[key]!;
      const expected = transposed.has(target) ? [...v.shape].reverse() : v.shape;
      if (!tf.util.arraysEqual(t.shape, expected)) {
        if (opts.ignoreMismatchedSizes) {
          mismatchedKeys.push({ key: target, checkpoint: t.shape, model: expected });
          continue;
        }
        throw new CheckpointShapeError(key, expected, t.shape, source);
      }
      assignments.set(target, t);
    }
    for (const [name, t] of assignments) {
      const v = params.get(name)!;
      tf.tidy(() => {
        const value = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
        v.assign(transposed.has(name) ? tf.transpose(value) : value);
      });
    }
    const mismatched = new Set(mismatchedKeys.map((m) => m.key));
    const missingKeys = named.map(([n]) => n).filter((n) => !assignments.has(n) && !mismatched.has(n));
    if (!opts.quiet) {
      const cls = this.className;
      if (unexpectedKeys.length) {
        console.warn(`Some weights of the model checkpoint at ${source} were not used when initializing ${cls}: [${unexpectedKeys.join(', ')}]`);
      }
      if (missingKeys.length) {
        console.warn(
          `Some weights of ${cls} were not initialized from the model checkpoint at ${source} and are newly initialized: ` +
            `[${missingKeys.join(', ')}]\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.`,
        );
      }
      for (const m of mismatchedKeys) {
        console.warn(`${source}: ${m.key} has shape [${m.checkpoint.join(', ')}] but the model needs [${m.model.join(', ')}]; newly initialized.`);
      }
    }
    return { missingKeys, unexpectedKeys, mismatchedKeys };
  }

  /** The parameters in HF layout (torch [out, in] Linear weights) under their checkpoint keys; the caller disposes. */
  hfStateDict(): Record<string, tf.Tensor> {
    const transposed = this.transposedParameterNames();
    return tf.tidy(() => Object.fromEntries(this.namedParameters().map(([n, v]) => [n, transposed.has(n) ? tf.transpose(v) : tf.clone(v)])));
  }

  /**
   * The dtype a save writes by default: the one the checkpoint came in (config.json's `dtype` / `torch_dtype`) when it
   * was float16 or bfloat16, else float32 — a model is saved in the format it came from.
   */
  sourceDtype(): SaveDtype {
    const json = this.config.toJSON();
    const d = json['dtype'] ?? json['torch_dtype'];
    return d === 'float16' || d === 'bfloat16' ? d : 'float32';
  }

  /** config.json as saved: the config's fields, this class as the architecture, the dtype the weights are written in. */
  configJSON(dtype: SaveDtype = 'float32'): Record<string, unknown> {
    const json: Record<string, unknown> = { ...this.config.toJSON(), architectures: [this.architecture], model_type: this.config.modelType };
    // transformers 5 names the field `dtype` (and still reads `torch_dtype`): keep the name the config came with,
    // so a save reloads to the same config.
    if ('dtype' in json) json['dtype'] = dtype;
    else json['torch_dtype'] = dtype;
    const quantization = quantizationConfigJSON(this); // int8 Linears: see quantized_checkpoint.ts
    if (quantization) json['quantization_config'] = quantization;
    else if ((json['quantization_config'] as { quant_method?: unknown } | undefined)?.quant_method === QUANT_METHOD) delete json['quantization_config'];
    return json;
  }

  /**
   * Writes config.json and model.safetensors (torch layout) so that HF transformers' from_pretrained — or this
   * class's — loads them. Each file is written to a temporary name and renamed. The weights are written in
   * `opts.dtype`, by default the dtype the checkpoint came in (sourceDtype: a float16 checkpoint is saved as float16,
   * half the bytes); float32 otherwise. int8-quantized Linears keep their own dtypes.
   */
  async savePretrained(dir: string, opts: SavePretrainedOptions = {}): Promise<void> {
    const { dtype, tensors, dtypes } = this.saveTensors(opts, 'savePretrained');
    try {
      const { mkdir, rm } = await nodeFs();
      await mkdir(dir, { recursive: true });
      await saveSafetensors(joinPath(dir, 'model.safetensors'), tensors, { format: 'pt' }, { dtypes }); // atomic: temp file + rename
      // A stale shard index would win over the new single file in some loaders.
      await rm(joinPath(dir, 'model.safetensors.index.json'), { force: true });
    } finally {
      tf.dispose(Object.values(tensors));
    }
    await writeFileAtomic(joinPath(dir, 'config.json'), `${JSON.stringify(this.configJSON(dtype), null, 2)}\n`);
  }

  /** The state dict to save (the caller disposes it) and the dtype each tensor is written in. */
  private saveTensors(opts: SavePretrainedOptions, caller: string): { dtype: SaveDtype; tensors: Record<string, tf.Tensor>; dtypes: Record<string, WritableDtype> } {
    const dtype = opts.dtype ?? this.sourceDtype();
    if (!(SAVE_DTYPES as readonly string[]).includes(dtype)) {
      throw new RangeError(`${caller}: dtype "${dtype}" is not one of ${SAVE_DTYPES.join(', ')}.`);
    }
    const int8 = quantizedStateDict(this);
    const floats = this.hfStateDict();
    const narrow: WritableDtype | undefined = dtype === 'float16' ? 'F16' : dtype === 'bfloat16' ? 'BF16' : undefined;
    const dtypes: Record<string, WritableDtype> = { ...(narrow ? Object.fromEntries(Object.entries(floats).filter(([, t]) => t.dtype === 'float32').map(([n]) => [n, narrow])) : {}), ...int8.dtypes };
    return { dtype, tensors: { ...floats, ...int8.tensors }, dtypes };
  }

  /**
   * savePretrained for bytes: config.json text and model.safetensors bytes (torch layout) that HF loads, in
   * `opts.dtype`, by default the dtype the checkpoint came in (sourceDtype), as savePretrained.
   */
  toPretrainedBytes(opts: SavePretrainedOptions = {}): { config: string; safetensors: Uint8Array } {
    const save = this.saveTensors(opts, 'toPretrainedBytes');
    try {
      return this.pretrainedBytes(save);
    } finally {
      tf.dispose(Object.values(save.tensors));
    }
  }

  /**
   * toPretrainedBytes with the weights read back asynchronously: the one that works on webgpu, whose synchronous
   * read is slow on any GPU and, in headless Chromium on SwiftShader, returns zeros and destroys the device.
   */
  async toPretrainedBytesAsync(opts: SavePretrainedOptions = {}): Promise<{ config: string; safetensors: Uint8Array }> {
    const save = this.saveTensors(opts, 'toPretrainedBytesAsync');
    try {
      await prefetchValues(Object.values(save.tensors));
      return this.pretrainedBytes(save);
    } finally {
      tf.dispose(Object.values(save.tensors));
    }
  }

  private pretrainedBytes(save: { dtype: SaveDtype; tensors: Record<string, tf.Tensor>; dtypes: Record<string, WritableDtype> }): { config: string; safetensors: Uint8Array } {
    return {
      config: `${JSON.stringify(this.configJSON(save.dtype), null, 2)}\n`,
      safetensors: serializeSafetensors(save.tensors, { format: 'pt' }, { source: 'model.safetensors', dtypes: save.dtypes }),
    };
  }
}

/** Parses safetensors bytes (one file or every shard) into tensors the caller disposes. */
export function parseCheckpointBytes(safetensors: Uint8Array | readonly Uint8Array[], source: string): Record<string, tf.Tensor> {
  const shards = safetensors instanceof Uint8Array ? [safetensors] : safetensors;
  const weights: Record<string, tf.Tensor> = {};
  try {
    shards.forEach((bytes, i) => Object.assign(weights, parseSafetensors(bytes, `${source}/model.safetensors${shards.length > 1 ? ` (shard ${i + 1})` : ''}`)));
  } catch (e) {
    tf.dispose(Object.values(weights));
    throw e;
  }
  return weights;
}
