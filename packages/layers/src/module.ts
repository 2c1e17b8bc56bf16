import { tf } from '@attn/tensor';
import { globToRegExp, matchesAny, GlobPatternError } from './glob_pattern';

/** Thrown by loadStateDict when a tensor's shape differs from the parameter it is loaded into. */
export class ShapeMismatchError extends Error {
  override name = 'ShapeMismatchError';
  constructor(
    readonly key: string,
    readonly expected: number[],
    readonly found: number[],
    where = 'the state dict',
  ) {
    super(
      `Parameter "${key}" has shape [${expected.join(', ')}] in the model but [${found.join(', ')}] in ${where}. ` +
        `Check that the config (hidden_size, vocab_size, num_labels, ...) matches the weights.`,
    );
  }
}

/** Thrown by loadStateDict({ strict: true }) when keys are missing or unexpected. */
export class StateDictError extends Error {
  override name = 'StateDictError';
  constructor(
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
  ) {
    const parts: string[] = [];
    if (missingKeys.length) parts.push(`missing keys: ${missingKeys.join(', ')}`);
    if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    super(`Error(s) in loading state dict: ${parts.join('; ')}. Pass { strict: false } to load what matches.`);
  }
}

/** What a layer writes in getConfig(): plain JSON values, enough to rebuild it. */
export type LayerConfig = Record<string, string | number | boolean | null | undefined | string[] | number[]>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

function joinName(prefix: string, name: string): string {
  if (!prefix) return name;
  if (!name) return prefix;
  return `${prefix}.${name}`;
}

/**
 * A node of the parameter tree, as torch.nn.Module: children and parameters are registered by name,
 * and the dotted path of a parameter (`encoder.layer.0.attention.self.query.weight`) is its checkpoint key.
 * Modules start in training mode (dropout on), as in torch.
 */
export abstract class Module {
  training = true;
  private readonly params = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module>();
  /** Local names of parameters stored transposed relative to the torch/HF layout (Linear kernels). */
  private readonly transposed = new Set<string>();

  /** Name of this layer's class (in error messages; models override it with their HF architecture). */
  get className(): string {
    return this.constructor.name;
  }

  /** The constructor arguments that rebuild this layer. */
  getConfig(): LayerConfig {
    return {};
  }

  /**
   * Registers a child; its parameters are named `name.<its names>`. A child registered under '' adds its
   * parameters at this module's level (TransformerEncoderLayer does this with FeedForward to get HF's flat
   * `intermediate.*` / `output.*` names).
   */
  protected registerModule<M extends Module>(name: string, m: M): M {
    if (this.children.has(name) || this.params.has(name)) {
      throw new Error(`${this.className}: "${name}" is already registered; every child needs its own name.`);
    }
    this.children.set(name, m);
    return m;
  }

  /**
   * Registers a parameter. `transposedVsTorch` marks a tensor stored as the transpose of its torch/HF layout
   * (a tfjs [in, out] kernel vs torch's [out, in] weight), so checkpoint I/O transposes it exactly once.
   */
  protected registerParameter(name: string, v: tf.Variable, transposedVsTorch = false): tf.Variable {
    if (this.children.has(name) || this.params.has(name)) {
      throw new Error(`${this.className}: "${name}" is already registered; every parameter needs its own name.`);
    }
    this.params.set(name, v);
    if (transposedVsTorch) this.transposed.add(name);
    return v;
  }

  /**
   * Swaps the child registered as `name` (as LoRA does with a Linear) and the field of the same name that
   * the layer's forward reads. Returns the previous child, which keeps whatever it owns.
   */
  replaceModule<M extends Module>(name: string, m: M): Module {
    const old = this.children.get(name);
    if (!old) throw new Error(`${this.className} has no child "${name}" to replace; children: ${[...this.children.keys()].join(', ')}.`);
    this.children.set(name, m);
    const self = this as unknown as Record<string, unknown>;
    if (self[name] === old) self[name] = m;
    return old;
  }

  /** Direct children, in registration order. */
  namedChildren(): Array<[string, Module]> {
    return [...this.children.entries()];
  }

  /** Every module below (and including) this one, with dotted paths; '' is this module. */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.children) out.push(...child.namedModules(joinName(prefix, name)));
    return out;
  }

  /** Parameters with their full dotted names (= HF checkpoint keys). A shared variable is listed once. */
  namedParameters(prefix = ''): Array<[string, tf.Variable]> {
    const seen = new Set<tf.Variable>();
    const out: Array<[string, tf.Variable]> = [];
    const walk = (m: Module, p: string) => {
      for (const [name, v] of m.params) {
        if (seen.has(v)) continue;
        seen.add(v);
        out.push([joinName(p, name), v]);
      }
      for (const [name, child] of m.children) walk(child, joinName(p, name));
    };
    walk(this, prefix);
    return out;
  }

  /** Full names of the parameters stored transposed relative to torch (Linear kernels). */
  transposedParameterNames(): Set<string> {
    const out = new Set<string>();
    for (const [path, m] of this.namedModules()) for (const name of m.transposed) out.add(joinName(path, name));
    return out;
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  trainableParameters(): Array<[string, tf.Variable]> {
    return this.namedParameters().filter(([, v]) => v.trainable);
  }

  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Marks parameters as not trainable; patterns are globs (see glob_pattern.ts), none = all. */
  freeze(patterns?: string | string[]): this {
    return this.setTrainable(patterns, false);
  }

  unfreeze(patterns?: string | string[]): this {
    return this.setTrainable(patterns, true);
  }

  private setTrainable(patterns: string | string[] | undefined, trainable: boolean): this {
    const list = patterns === undefined ? undefined : Array.isArray(patterns) ? patterns : [patterns];
    const named = this.namedParameters();
    if (!list) {
      for (const [, v] of named) v.trainable = trainable;
      return this;
    }
    for (const pattern of list) {
      const re = globToRegExp(pattern);
      const hits = named.filter(([n]) => matchesAny(n, [re]));
      if (hits.length === 0) {
        const sample = named.slice(0, 3).map(([n]) => n).join(', ');
        throw new GlobPatternError(
          `${trainable ? 'unfreeze' : 'freeze'}("${pattern}") matched no parameter of ${this.className}; names look like: ${sample}, ...`,
        );
      }
      for (const [, v] of hits) v.trainable = trainable;
    }
    return this;
  }

  /** The parameters by full name, internal layout (Linear kernels [in, out]); the module owns the tensors. */
  stateDict(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.namedParameters());
  }

  /**
   * Copies tensors into the parameters of the same name. Reports keys the model has but `sd` lacks (missing)
   * and the reverse (unexpected), as torch does; strict (default) throws StateDictError if either is non-empty.
   * A shape mismatch always throws ShapeMismatchError. The caller keeps ownership of `sd`.
   */
  loadStateDict(sd: Record<string, tf.Tensor>, opts: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const named = this.namedParameters();
    const own = new Set(named.map(([n]) => n));
    const missingKeys = named.filter(([n]) => !(n in sd)).map(([n]) => n);
    const unexpectedKeys = Object.keys(sd).filter((k) => !own.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) throw new StateDictError(missingKeys, unexpectedKeys);
    for (const [name, v] of named) {
      const t = sd[name];
      if (!t) continue;
      if (!tf.util.arraysEqual(t.shape, v.shape)) throw new ShapeMismatchError(name, v.shape, t.shape);
    }
    for (const [name, v] of named) {
      const t = sd[name];
      if (!t) continue;
      if (t.dtype === v.dtype) v.assign(t);
      else tf.tidy(() => v.assign(tf.cast(t, v.dtype)));
    }
    return { missingKeys, unexpectedKeys };
  }

  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    const list = opts.trainableOnly ? this.trainableParameters().map(([, v]) => v) : this.parameters();
    return list.reduce((n, v) => n + v.size, 0);
  }

  /** Frees every parameter, and what each module below owns besides (disposeResources); the module must not be used afterwards. */
  dispose(): void {
    for (const v of this.parameters()) if (!v.isDisposed) v.dispose();
    for (const m of new Set(this.namedModules().map(([, m]) => m))) m.disposeResources();
  }

  /** Frees what this module owns that is not a parameter (QuantizedLinear: its int8 weight's prepared forms). */
  protected disposeResources(): void {}
}
