import { nodeFs } from './model_files';

/** Thrown for a config.json that is missing, unreadable or inconsistent; names the file and field. */
export class BertConfigError extends Error {
  override name = 'BertConfigError';
}

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

/** config.json as HF writes it (snake_case). Fields attn does not use are kept and written back. */
export interface BertConfigJSON {
  vocab_size?: number;
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  intermediate_size?: number;
  hidden_act?: string;
  hidden_dropout_prob?: number;
  attention_probs_dropout_prob?: number;
  max_position_embeddings?: number;
  type_vocab_size?: number;
  initializer_range?: number;
  layer_norm_eps?: number;
  pad_token_id?: number;
  position_embedding_type?: string;
  classifier_dropout?: number | null;
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  num_labels?: number;
  problem_type?: ProblemType | null;
  architectures?: string[];
  model_type?: string;
  [extra: string]: unknown;
}

export type BertPresetName = 'bert-tiny' | 'bert-mini' | 'bert-small' | 'bert-medium' | 'bert-base';

// Google's BERT miniatures (Turc et al. 2019) and BERT-base; all with the uncased 30522-word vocabulary.
const PRESETS: Record<BertPresetName, BertConfigJSON> = {
  'bert-tiny': { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, intermediate_size: 512 },
  'bert-mini': { num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4, intermediate_size: 1024 },
  'bert-small': { num_hidden_layers: 4, hidden_size: 512, num_attention_heads: 8, intermediate_size: 2048 },
  'bert-medium': { num_hidden_layers: 8, hidden_size: 512, num_attention_heads: 8, intermediate_size: 2048 },
  'bert-base': { num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12, intermediate_size: 3072 },
};

// Fields this class models; everything else in config.json is carried through untouched.
const KNOWN = new Set([
  'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'hidden_act',
  'hidden_dropout_prob', 'attention_probs_dropout_prob', 'max_position_embeddings', 'type_vocab_size',
  'initializer_range', 'layer_norm_eps', 'pad_token_id', 'position_embedding_type', 'classifier_dropout',
  'id2label', 'label2id', 'num_labels', 'problem_type', 'architectures', 'model_type',
]);

/** A BERT configuration with HF's defaults (transformers BertConfig) for every missing field. */
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

export class BertConfig {
  vocabSize = 30522;
  hiddenSize = 768;
  numHiddenLayers = 12;
  numAttentionHeads = 12;
  intermediateSize = 3072;
  /** "gelu" is the exact erf form. */
  hiddenAct = 'gelu';
  hiddenDropoutProb = 0.1;
  attentionProbsDropoutProb = 0.1;
  maxPositionEmbeddings = 512;
  typeVocabSize = 2;
  initializerRange = 0.02;
  layerNormEps = 1e-12;
  padTokenId = 0;
  positionEmbeddingType = 'absolute';
  /** Dropout before a classifier head; null = hiddenDropoutProb (HF). */
  classifierDropout: number | null = null;
  id2label: Record<number, string> = { 0: 'LABEL_0', 1: 'LABEL_1' };
  label2id: Record<string, number> = { LABEL_0: 0, LABEL_1: 1 };
  problemType: ProblemType | null = null;
  architectures?: string[];
  /** config.json fields attn does not model, written back unchanged. */
  extra: Record<string, unknown> = {};

  get numLabels(): number {
    return Object.keys(this.id2label).length;
  }

  /** Replaces the label maps with LABEL_0..LABEL_{n-1} (HF's num_labels setter). */
  set numLabels(n: number) {
    if (n === this.numLabels) return;
    this.id2label = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, `LABEL_${i}`]));
    this.label2id = Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
  }

  get headDim(): number {
    return this.hiddenSize / this.numAttentionHeads;
  }

  /** From a parsed config.json; `source` (a path) only names the file in errors. */
  static fromJSON(obj: BertConfigJSON, source = 'config.json'): BertConfig {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new BertConfigError(`${source}: expected a JSON object of BERT config fields.`);
    }
    const c = new BertConfig();
    const num = (field: keyof BertConfigJSON & string, int = true): number | undefined => {
      const v = obj[field];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v)) || v < 0) {
        throw new BertConfigError(`${source}: field "${field}" must be a non-negative ${int ? 'integer' : 'number'}, got ${JSON.stringify(v)}.`);
      }
      return v;
    };
    c.vocabSize = num('vocab_size') ?? c.vocabSize;
    c.hiddenSize = num('hidden_size') ?? c.hiddenSize;
    c.numHiddenLayers = num('num_hidden_layers') ?? c.numHiddenLayers;
    c.numAttentionHeads = num('num_attention_heads') ?? c.numAttentionHeads;
    c.intermediateSize = num('intermediate_size') ?? c.intermediateSize;
    c.hiddenDropoutProb = num('hidden_dropout_prob', false) ?? c.hiddenDropoutProb;
    c.attentionProbsDropoutProb = num('attention_probs_dropout_prob', false) ?? c.attentionProbsDropoutProb;
    c.maxPositionEmbeddings = num('max_position_embeddings') ?? c.maxPositionEmbeddings;
    c.typeVocabSize = num('type_vocab_size') ?? c.typeVocabSize;
    c.initializerRange = num('initializer_range', false) ?? c.initializerRange;
    c.layerNormEps = num('layer_norm_eps', false) ?? c.layerNormEps;
    c.padTokenId = num('pad_token_id') ?? c.padTokenId;
    if (obj.hidden_act !== undefined) {
      if (typeof obj.hidden_act !== 'string') throw new BertConfigError(`${source}: field "hidden_act" must be a string such as "gelu".`);
      c.hiddenAct = obj.hidden_act;
    }
    if (obj.position_embedding_type !== undefined) c.positionEmbeddingType = String(obj.position_embedding_type);
    if (c.positionEmbeddingType !== 'absolute') {
      throw new BertConfigError(`${source}: position_embedding_type "${c.positionEmbeddingType}" is not supported; attn implements "absolute".`);
    }
    if (obj.classifier_dropout != null) c.classifierDropout = num('classifier_dropout', false)!;
    if (obj.problem_type != null) {
      if (!['regression', 'single_label_classification', 'multi_label_classification'].includes(obj.problem_type)) {
        throw new BertConfigError(`${source}: problem_type "${obj.problem_type}" is not one of regression, single_label_classification, multi_label_classification.`);
      }
      c.problemType = obj.problem_type;
    }
    if (obj.id2label) {
      const entries = isPlainObject(obj.id2label) ? Object.entries(obj.id2label) : [];
      // HF label ids are the integers 0..n-1; anything else would index the logits wrongly.
      const ids = entries.map(([k]) => Number(k)).sort((x, y) => x - y);
      if (!isPlainObject(obj.id2label) || !ids.every((id, i) => id === i) || !entries.every(([, v]) => typeof v === 'string')) {
        throw new BertConfigError(`${source}: field "id2label" must map the ids "0".."n-1" to label names (strings), got ${JSON.stringify(obj.id2label).slice(0, 200)}.`);
      }
      if (obj.label2id !== undefined && (!isPlainObject(obj.label2id) || !Object.values(obj.label2id).every((v) => Number.isInteger(v)))) {
        throw new BertConfigError(`${source}: field "label2id" must map label names to integer ids, got ${JSON.stringify(obj.label2id).slice(0, 200)}.`);
      }
      c.id2label = Object.fromEntries(Object.entries(obj.id2label).map(([k, v]) => [Number(k), String(v)]));
      c.label2id = obj.label2id ? { ...obj.label2id } : Object.fromEntries(Object.entries(c.id2label).map(([k, v]) => [v, Number(k)]));
    } else if (obj.num_labels !== undefined) {
      c.numLabels = num('num_labels')!;
    }
    if (obj.architectures) {
      if (!Array.isArray(obj.architectures) || !obj.architectures.every((a) => typeof a === 'string')) {
        throw new BertConfigError(`${source}: field "architectures" must be a list of class names such as ["BertForSequenceClassification"].`);
      }
      c.architectures = [...obj.architectures];
    }
    for (const field of ['hidden_dropout_prob', 'attention_probs_dropout_prob', 'classifier_dropout'] as const) {
      const p = obj[field];
      if (typeof p === 'number' && p > 1) throw new BertConfigError(`${source}: field "${field}" is a probability and must be at most 1, got ${p}.`);
    }
    for (const [k, v] of Object.entries(obj)) if (!KNOWN.has(k)) c.extra[k] = v;
    c.validate(source);
    return c;
  }

  static async fromFile(path: string): Promise<BertConfig> {
    let text: string;
    try {
      text = await (await nodeFs()).readFile(path, 'utf8');
    } catch (e) {
      throw new BertConfigError(`Cannot read ${path}: ${(e as Error).message}. A HF model directory holds config.json next to model.safetensors.`);
    }
    let obj: BertConfigJSON;
    try {
      obj = JSON.parse(text) as BertConfigJSON;
    } catch (e) {
      throw new BertConfigError(`${path} is not valid JSON: ${(e as Error).message}.`);
    }
    if (jsonDepthExceeds(obj, MAX_CONFIG_JSON_DEPTH)) {
      throw new BertConfigError(`${path}: JSON nested deeper than ${MAX_CONFIG_JSON_DEPTH} levels; a BERT config.json is a flat object. Refusing it.`);
    }
    return BertConfig.fromJSON(obj, path);
  }

  /** A named size (Google's BERT miniatures or BERT-base) with optional config.json overrides. */
  static preset(name: BertPresetName, overrides: BertConfigJSON = {}): BertConfig {
    const p = PRESETS[name];
    if (!p) throw new BertConfigError(`Unknown BERT preset "${name}"; known: ${Object.keys(PRESETS).join(', ')}.`);
    return BertConfig.fromJSON({ ...p, ...overrides }, `preset ${name}`);
  }

  /** A copy with some config.json fields replaced. */
  with(overrides: BertConfigJSON): BertConfig {
    const base = this.toJSON();
    // A new num_labels without label names means fresh LABEL_i names, as HF.
    if (overrides.num_labels !== undefined && !overrides.id2label) {
      delete base.id2label;
      delete base.label2id;
    }
    return BertConfig.fromJSON({ ...base, ...overrides });
  }

  validate(source = 'config'): void {
    if (this.hiddenSize % this.numAttentionHeads !== 0) {
      throw new BertConfigError(
        `${source}: hidden_size ${this.hiddenSize} is not a multiple of num_attention_heads ${this.numAttentionHeads}.`,
      );
    }
    if (this.padTokenId >= this.vocabSize) {
      throw new BertConfigError(`${source}: pad_token_id ${this.padTokenId} is outside the vocabulary (vocab_size ${this.vocabSize}).`);
    }
  }

  /** config.json content (HF field names), unknown fields included. */
  toJSON(): BertConfigJSON {
    const out: BertConfigJSON = {};
    if (this.architectures) out.architectures = [...this.architectures];
    Object.assign(out, {
      model_type: 'bert',
      vocab_size: this.vocabSize,
      hidden_size: this.hiddenSize,
      num_hidden_layers: this.numHiddenLayers,
      num_attention_heads: this.numAttentionHeads,
      intermediate_size: this.intermediateSize,
      hidden_act: this.hiddenAct,
      hidden_dropout_prob: this.hiddenDropoutProb,
      attention_probs_dropout_prob: this.attentionProbsDropoutProb,
      max_position_embeddings: this.maxPositionEmbeddings,
      type_vocab_size: this.typeVocabSize,
      initializer_range: this.initializerRange,
      layer_norm_eps: this.layerNormEps,
      pad_token_id: this.padTokenId,
      position_embedding_type: this.positionEmbeddingType,
      classifier_dropout: this.classifierDropout,
      id2label: Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [String(k), v])),
      label2id: { ...this.label2id },
    });
    if (this.problemType) out.problem_type = this.problemType;
    for (const [k, v] of Object.entries(this.extra)) if (!(k in out)) out[k] = v;
    return out;
  }
}
