import { nodeFs } from './model_files';

/** Thrown for a config.json that is missing, unreadable or inconsistent; names the file and field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** The fields every HF config.json may carry, whatever the family. */
export interface PretrainedConfigJSON {
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  num_labels?: number;
  problem_type?: ProblemType | null;
  architectures?: string[];
  model_type?: string;
  [extra: string]: unknown;
}

/**
 * One config.json field a family models: its JSON name, the property it fills and how it is checked.
 * `int` / `number` are non-negative; `prob` is a number in [0, 1]; `nullable` accepts null (kept as null).
 */
export interface ConfigField {
  json: string;
  prop: string;
  kind: 'int' | 'number' | 'prob' | 'string' | 'bool' | 'json';
  nullable?: boolean;
  /** Other JSON names read into the same property (GPT-2's n_embd for hidden_size, say); the first is written. */
  aliases?: string[];
}

/** Deeper nesting than this in a config.json is refused: recursive consumers (JSON.stringify on save) would overflow the stack. */
export const MAX_CONFIG_JSON_DEPTH = 64;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Iterative, so that the check itself cannot overflow the stack. */
function jsonDepthExceeds(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Reads and parses a config.json with the file named in every error; refuses absurd nesting. */
export async function readConfigJSON(path: string, errorClass: new (m: string) => Error = ConfigError): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await (await nodeFs()).readFile(path, 'utf8');
  } catch (e) {
    throw new errorClass(`Cannot read ${path}: ${(e as Error).message}. A HF model directory holds config.json next to model.safetensors.`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new errorClass(`${path} is not valid JSON: ${(e as Error).message}.`);
  }
  if (jsonDepthExceeds(obj, MAX_CONFIG_JSON_DEPTH)) {
    throw new errorClass(`${path}: JSON nested deeper than ${MAX_CONFIG_JSON_DEPTH} levels; a config.json is a flat object. Refusing it.`);
  }
  if (!isPlainObject(obj)) throw new errorClass(`${path}: expected a JSON object of config fields.`);
  return obj;
}

/** A config class as the registry and fromPretrained see it. */
export interface ConfigClass<C extends PretrainedConfig = PretrainedConfig> {
  readonly modelType: string;
  fromJSON(obj: Record<string, unknown>, source?: string): C;
  fromFile(path: string): Promise<C>;
}

/**
 * What every family's config shares, as HF's PretrainedConfig: label maps, problem type, architectures, and
 * the config.json fields attn does not model, carried through untouched. A family subclass lists its fields
 * (`static fields`) with their defaults as property initialisers; parsing, checking and writing are here.
 */
export abstract class PretrainedConfig {
  /** config.json's model_type. */
  static readonly modelType: string = '';
  /** The fields this family models, in the order config.json gets them. */
  static readonly fields: readonly ConfigField[] = [];
  /** The error class a family's messages use (BertConfigError for BERT, for compatibility). */
  static readonly errorClass: new (message: string) => Error = ConfigError;
  /** The config.json dropout probabilities a user's `--dropout` sets together (hidden and attention). */
  static readonly dropoutFields: readonly string[] = [];

  // Every family has these (under its own JSON names): the apps and pipelines read them.
  vocabSize = 30522;
  hiddenSize = 768;
  maxPositionEmbeddings = 512;
  padTokenId: number | null = 0;
  /** Transformer blocks and attention heads (num_hidden_layers / n_layers / n_layer, …). */
  numHiddenLayers = 12;
  numAttentionHeads = 12;

  id2label: Record<number, string> = { 0: 'LABEL_0', 1: 'LABEL_1' };
  label2id: Record<string, number> = { LABEL_0: 0, LABEL_1: 1 };
  problemType: ProblemType | null = null;
  architectures?: string[];
  /** config.json fields attn does not model, written back unchanged. */
  extra: Record<string, unknown> = {};

  get modelType(): string {
    return (this.constructor as typeof PretrainedConfig).modelType;
  }

  get numLabels(): number {
    return Object.keys(this.id2label).length;
  }

  /** Replaces the label maps with LABEL_0..LABEL_{n-1} (HF's num_labels setter). */
  set numLabels(n: number) {
    if (n === this.numLabels) return;
    this.id2label = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, `LABEL_${i}`]));
    this.label2id = Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
  }

  /** From a parsed config.json; `source` (a path) only names the file in errors. */
  static fromJSON<C extends PretrainedConfig>(this: { new (): C; fields: readonly ConfigField[]; errorClass: new (m: string) => Error; modelType: string }, obj: Record<string, unknown>, source = 'config.json'): C {
    const Err = this.errorClass;
    if (!isPlainObject(obj)) throw new Err(`${source}: expected a JSON object of ${this.modelType} config fields.`);
    const c = new this();
    const self = c as unknown as Record<string, unknown>;
    const known = new Set(['id2label', 'label2id', 'num_labels', 'problem_type', 'architectures', 'model_type']);
    for (const f of this.fields) {
      known.add(f.json);
      for (const a of f.aliases ?? []) known.add(a);
      const name = [f.json, ...(f.aliases ?? [])].find((n) => obj[n] !== undefined);
      if (name === undefined) continue;
      const v = obj[name];
      if (v === null && (f.nullable || f.kind === 'json')) {
        self[f.prop] = null;
        continue;
      }
      if (f.kind === 'string') {
        if (typeof v !== 'string') throw new Err(`${source}: field "${name}" must be a string, got ${JSON.stringify(v)}.`);
        self[f.prop] = v;
      } else if (f.kind === 'bool') {
        if (typeof v !== 'boolean') throw new Err(`${source}: field "${name}" must be true or false, got ${JSON.stringify(v)}.`);
        self[f.prop] = v;
      } else if (f.kind === 'json') {
        self[f.prop] = v;
      } else {
        const int = f.kind === 'int';
        if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v)) || v < 0) {
          throw new Err(`${source}: field "${name}" must be a non-negative ${int ? 'integer' : 'number'}, got ${JSON.stringify(v)}.`);
        }
        if (f.kind === 'prob' && v > 1) throw new Err(`${source}: field "${name}" is a probability and must be at most 1, got ${v}.`);
        self[f.prop] = v;
      }
    }
    if (obj['problem_type'] != null) {
      const p = obj['problem_type'];
      if (typeof p !== 'string' || !['regression', 'single_label_classification', 'multi_label_classification'].includes(p)) {
        throw new Err(`${source}: problem_type "${String(p)}" is not one of regression, single_label_classification, multi_label_classification.`);
      }
      c.problemType = p as ProblemType;
    }
    if (obj['id2label']) {
      const raw = obj['id2label'];
      const entries = isPlainObject(raw) ? Object.entries(raw) : [];
      // HF label ids are the integers 0..n-1; anything else would index the logits wrongly.
      const ids = entries.map(([k]) => Number(k)).sort((x, y) => x - y);
      if (!isPlainObject(raw) || !ids.every((id, i) => id === i) || !entries.every(([, v]) => typeof v === 'string')) {
        throw new Err(`${source}: field "id2label" must map the ids "0".."n-1" to label names (strings), got ${JSON.stringify(raw).slice(0, 200)}.`);
      }
      const l2i = obj['label2id'];
      if (l2i !== undefined && (!isPlainObject(l2i) || !Object.values(l2i).every((v) => Number.isInteger(v)))) {
        throw new Err(`${source}: field "label2id" must map label names to integer ids, got ${JSON.stringify(l2i).slice(0, 200)}.`);
      }
      c.id2label = Object.fromEntries(entries.map(([k, v]) => [Number(k), String(v)]));
      c.label2id = l2i ? { ...(l2i as Record<string, number>) } : Object.fromEntries(Object.entries(c.id2label).map(([k, v]) => [v, Number(k)]));
    } else if (obj['num_labels'] !== undefined) {
      const n = obj['num_labels'];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Err(`${source}: field "num_labels" must be a non-negative integer, got ${JSON.stringify(n)}.`);
      c.numLabels = n;
    }
    if (obj['architectures']) {
      const a = obj['architectures'];
      if (!Array.isArray(a) || !a.every((x) => typeof x === 'string')) {
        throw new Err(`${source}: field "architectures" must be a list of class names such as ["BertForSequenceClassification"].`);
      }
      c.architectures = [...(a as string[])];
    }
    for (const [k, v] of Object.entries(obj)) if (!known.has(k)) c.extra[k] = v;
    c.validate(source);
    return c;
  }

  static async fromFile<C extends PretrainedConfig>(this: { new (): C; errorClass: new (m: string) => Error }, path: string): Promise<C> {
    const cls = this as unknown as { fromJSON(obj: Record<string, unknown>, source?: string): C };
    return cls.fromJSON(await readConfigJSON(path, this.errorClass), path);
  }

  /** A copy with some config.json fields replaced. */
  with(overrides: Record<string, unknown>): this {
    const base = this.toJSON();
    // A new num_labels without label names means fresh LABEL_i names, as HF.
    if (overrides['num_labels'] !== undefined && !overrides['id2label']) {
      delete base.id2label;
      delete base.label2id;
    }
    const cls = this.constructor as unknown as { fromJSON(obj: Record<string, unknown>): PretrainedConfig };
    return cls.fromJSON({ ...base, ...overrides }) as this;
  }

  /** A copy with every dropout probability of the family (`dropoutFields`) set to `p`. */
  withDropout(p: number): this {
    const fields = (this.constructor as typeof PretrainedConfig).dropoutFields;
    return this.with(Object.fromEntries(fields.map((f) => [f, p])));
  }

  /** Cross-field checks; throws the family's error naming `source`. */
  validate(source = 'config'): void {
    const Err = (this.constructor as typeof PretrainedConfig).errorClass;
    if (this.padTokenId !== null && this.padTokenId >= this.vocabSize) {
      throw new Err(`${source}: pad_token_id ${this.padTokenId} is outside the vocabulary (vocab_size ${this.vocabSize}).`);
    }
  }

  /** config.json content (HF field names), unknown fields included. */
  toJSON(): PretrainedConfigJSON {
    const cls = this.constructor as typeof PretrainedConfig;
    const self = this as unknown as Record<string, unknown>;
    const out: PretrainedConfigJSON = {};
    if (this.architectures) out.architectures = [...this.architectures];
    out.model_type = cls.modelType;
    for (const f of cls.fields) out[f.json] = self[f.prop];
    out.id2label = Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [String(k), v]));
    out.label2id = { ...this.label2id };
    if (this.problemType) out.problem_type = this.problemType;
    for (const [k, v] of Object.entries(this.extra)) if (!(k in out)) out[k] = v;
    return out;
  }
}
