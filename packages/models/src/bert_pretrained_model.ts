import { tf, Generator, loadCheckpointWeights, saveSafetensors } from '@attn/tensor';
import { Module, deferParameterInit } from '@attn/layers';
import { BertConfig } from './bert_config';
import { CheckpointShapeError } from './checkpoint_errors';
import type { ModelInputs, ModelOutput } from './model_io';
import { nodeFs, joinPath, writeFileAtomic } from './model_files';

export interface BertInitOptions {
  /** Seed for the initial weights and dropout masks; default: @attn/tensor's global generator. */
  seed?: number;
  rng?: Generator;
}

export interface FromPretrainedOptions extends BertInitOptions {
  /** Replace the classifier's label count (fresh LABEL_i names unless id2label is given). */
  numLabels?: number;
  id2label?: Record<number, string>;
  label2id?: Record<string, number>;
  problemType?: BertConfig['problemType'];
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

/** A constructor of a concrete BERT model class, as fromPretrained's `this`. */
export interface BertModelClass<T extends BertPreTrainedModel> {
  new (config: BertConfig, opts?: BertInitOptions): T;
}

/** The Generator a model draws its initial weights and dropout seeds from. */
export function initGenerator(opts: BertInitOptions = {}): Generator | undefined {
  return opts.rng ?? (opts.seed !== undefined ? new Generator(opts.seed) : undefined);
}

// Buffers that some checkpoints store and HF ignores on load.
const IGNORED_KEY = /(^|\.)position_ids$/;

/**
 * What every BERT model shares: HF checkpoint I/O. Parameter names are HF keys; Linear kernels are
 * transposed once here, on the way in and on the way out.
 */
export abstract class BertPreTrainedModel extends Module {
  abstract readonly config: BertConfig;
  /** 'bert' for models with a head (keys `bert.*`), '' for the bare BertModel. */
  abstract readonly baseModelPrefix: string;
  /** Set by fromPretrained. */
  loadingInfo?: LoadingInfo;
  /**
   * The seeded stream for initial weights and dropout masks when the model was built with a seed (else the
   * global generator is used); a trainer saves its state in checkpoints so a resumed run draws the same masks.
   */
  rng?: Generator;

  abstract forward(inputs: ModelInputs): ModelOutput;

  /** Checkpoint keys that name a tied tensor (null: drop) or an alias of a parameter (MLM decoder). */
  protected checkpointAliases(): Record<string, string | null> {
    return {};
  }

  /**
   * Loads config.json and model.safetensors (or a sharded index) from an HF model directory. Works for a
   * checkpoint with this head or a bare base model (the head is then initialised, with HF's warning).
   * Returns the model in eval mode, as HF does; call train() before fine-tuning.
   */
  static async fromPretrained<T extends BertPreTrainedModel>(
    this: BertModelClass<T>,
    dir: string,
    opts: FromPretrainedOptions = {},
  ): Promise<T> {
    const config = await BertConfig.fromFile(joinPath(dir, 'config.json'));
    if (opts.id2label) {
      config.id2label = { ...opts.id2label };
      config.label2id = opts.label2id ?? Object.fromEntries(Object.entries(opts.id2label).map(([k, v]) => [v, Number(k)]));
    } else if (opts.numLabels !== undefined) {
      config.numLabels = opts.numLabels;
    }
    if (opts.problemType !== undefined) config.problemType = opts.problemType;
    const weights = await loadCheckpointWeights(dir);
    // Parameters start as zeros; only those the checkpoint lacks get their random init (HF's no_init_weights).
    const { value: model, materialize } = deferParameterInit(() => new this(config, opts));
    try {
      const info = model.loadPretrainedWeights(weights, { source: dir, ignoreMismatchedSizes: opts.ignoreMismatchedSizes, quiet: opts.quiet });
      const params = new Map(model.namedParameters());
      materialize([...info.missingKeys, ...info.mismatchedKeys.map((m) => m.key)].map((k) => params.get(k)!));
      model.loadingInfo = info;
    } catch (e) {
      model.dispose();
      throw e;
    } finally {
      tf.dispose(Object.values(weights));
    }
    return model.eval();
  }

  /**
   * Copies HF-layout tensors (torch [out, in] Linear weights, keys with or without `bert.`) into the parameters.
   * The caller keeps ownership of `weights`.
   */
  loadPretrainedWeights(
    weights: Record<string, tf.Tensor>,
    opts: { source?: string; ignoreMismatchedSizes?: boolean; quiet?: boolean } = {},
  ): LoadingInfo {
    const source = opts.source ?? 'checkpoint';
    const named = this.namedParameters();
    const params = new Map(named);
    const transposed = this.transposedParameterNames();
    const prefix = this.baseModelPrefix;
    const keys = Object.keys(weights);
    const ckptHasPrefix = keys.some((k) => k.startsWith('bert.'));
    const aliases = this.checkpointAliases();

    // HF's rules: a base-model checkpoint (no `bert.`) gains the prefix in a model with a head;
    // a bare BertModel drops it; TF-era LayerNorm gamma/beta are weight/bias.
    const toModelKey = (key: string): string => {
      let k = key.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
      if (prefix && !ckptHasPrefix) k = `${prefix}.${k}`;
      else if (!prefix && k.startsWith('bert.')) k = k.slice('bert.'.length);
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
    return tf.tidy(() =>
      Object.fromEntries(this.namedParameters().map(([n, v]) => [n, transposed.has(n) ? tf.transpose(v) : tf.clone(v)])),
    );
  }

  /**
   * Writes config.json and model.safetensors (float32, torch layout) so that HF transformers'
   * from_pretrained — or this class's — loads them. Each file is written to a temporary name and renamed.
   */
  async savePretrained(dir: string): Promise<void> {
    const { mkdir, rm } = await nodeFs();
    await mkdir(dir, { recursive: true });
    const json: Record<string, unknown> = { ...this.config.toJSON(), architectures: [this.className], model_type: 'bert', torch_dtype: 'float32' };
    // transformers 5 names the field `dtype`; the weights are written as float32 whatever was read.
    if ('dtype' in json) json['dtype'] = 'float32';
    const tensors = this.hfStateDict();
    try {
      await saveSafetensors(joinPath(dir, 'model.safetensors'), tensors, { format: 'pt' }); // atomic: temp file + rename
    } finally {
      tf.dispose(Object.values(tensors));
    }
    // A stale shard index would win over the new single file in some loaders.
    await rm(joinPath(dir, 'model.safetensors.index.json'), { force: true });
    await writeFileAtomic(joinPath(dir, 'config.json'), `${JSON.stringify(json, null, 2)}\n`);
  }
}
