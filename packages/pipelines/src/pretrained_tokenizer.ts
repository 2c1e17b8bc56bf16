import { writeFileDurable } from '@attn/tensor';
import { Tokenizer } from '@attn/tokenizers';
import { registeredFamilies } from '@attn/models';

async function exists(path: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export class ModelDirectoryError extends Error {
  override name = 'ModelDirectoryError';
}

/**
 * The tokenizer saved beside a model, as HF's AutoTokenizer finds it: tokenizer.json, else vocab.txt
 * (lower-cased unless tokenizer_config.json says `do_lower_case: false`).
 */
export async function loadTokenizer(dir: string): Promise<Tokenizer> {
  const { join } = await import('node:path');
  const json = join(dir, 'tokenizer.json');
  if (await exists(json)) return Tokenizer.fromFile(json);
  const vocab = join(dir, 'vocab.txt');
  if (await exists(vocab)) {
    let lowercase = true;
    const cfgPath = join(dir, 'tokenizer_config.json');
    if (await exists(cfgPath)) {
      const { readFile } = await import('node:fs/promises');
      const cfg = JSON.parse(await readFile(cfgPath, 'utf8')) as { do_lower_case?: boolean };
      if (cfg.do_lower_case === false) lowercase = false;
    }
    return Tokenizer.fromVocabFile(vocab, { lowercase });
  }
  throw new ModelDirectoryError(`${dir}: no tokenizer.json or vocab.txt; save the tokenizer beside the model (saveTokenizer) or copy one in.`);
}

export interface SaveTokenizerOptions {
  /** The longest input the model takes (HF model_max_length); default: from config.json in `dir`. */
  modelMaxLength?: number;
  /** config.json's model_type, which names HF's tokenizer class; default: from config.json in `dir`. */
  modelType?: string;
}

/** Special-token roles by the spellings the families use. */
const SPECIAL_ROLES: Record<string, string[]> = {
  cls_token: ['[CLS]', '<s>'],
  sep_token: ['[SEP]', '</s>'],
  pad_token: ['[PAD]', '<pad>'],
  unk_token: ['[UNK]', '<unk>'],
  mask_token: ['[MASK]', '<mask>'],
  bos_token: ['<s>', '<|endoftext|>'],
  eos_token: ['</s>', '<|endoftext|>'],
};

/**
 * tokenizer_config.json as HF's AutoTokenizer reads it beside tokenizer.json: the class, model_max_length
 * (without it HF assumes 1e30 and its truncation silently does nothing), casing and the special tokens.
 */
export function tokenizerConfig(tokenizer: Tokenizer, opts: SaveTokenizerOptions = {}): Record<string, unknown> {
  const json = tokenizer.toJSON() as { added_tokens?: Array<{ content: string; special?: boolean }>; normalizer?: Record<string, unknown> | null };
  const special = new Set((json.added_tokens ?? []).filter((t) => t.special).map((t) => t.content));
  const out: Record<string, unknown> = {};
  // The family names HF's class; without it HF picks one from config.json's model_type.
  const family = opts.modelType ? registeredFamilies().find((f) => f.modelType === opts.modelType) : undefined;
  if (family?.tokenizerClass) out['tokenizer_class'] = family.tokenizerClass;
  if (opts.modelMaxLength !== undefined) out['model_max_length'] = opts.modelMaxLength;
  const lowercase = (n: Record<string, unknown> | null | undefined): boolean =>
    !!n && ((n['type'] === 'BertNormalizer' && n['lowercase'] !== false) || n['type'] === 'Lowercase' || (Array.isArray(n['normalizers']) && (n['normalizers'] as Record<string, unknown>[]).some(lowercase)));
  out['do_lower_case'] = lowercase(json.normalizer);
  for (const [role, spellings] of Object.entries(SPECIAL_ROLES)) {
    const tok = spellings.find((t) => special.has(t));
    if (tok) out[role] = tok;
  }
  return out;
}

/**
 * Writes tokenizer.json and tokenizer_config.json into a model directory so the directory is self-contained
 * and HF's AutoTokenizer.from_pretrained(dir) truncates at the model's length. Call after savePretrained:
 * model_type and max_position_embeddings are read from config.json there unless given.
 */
export async function saveTokenizer(tokenizer: Tokenizer, dir: string, opts: SaveTokenizerOptions = {}): Promise<void> {
  const { join } = await import('node:path');
  const { mkdir, readFile } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  // Durably (Tokenizer.save flushes), like the model files beside it: a crash mid-save leaves the previous tokenizer.json whole.
  await tokenizer.save(join(dir, 'tokenizer.json'));
  let { modelMaxLength, modelType } = opts;
  if (modelMaxLength === undefined || modelType === undefined) {
    try {
      const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      modelType ??= typeof cfg['model_type'] === 'string' ? cfg['model_type'] : undefined;
      const positions = [cfg['max_position_embeddings'], cfg['n_positions']].find((v) => typeof v === 'number') as number | undefined;
      // RoBERTa's positions start after the padding id (514 rows for 512 tokens).
      const offset = modelType === 'roberta' && typeof cfg['pad_token_id'] === 'number' ? cfg['pad_token_id'] + 1 : 0;
      if (positions !== undefined) modelMaxLength ??= positions - offset;
    } catch {
      // no config.json (a tokenizer saved on its own): leave what is unknown out
    }
  }
  const config = tokenizerConfig(tokenizer, { modelMaxLength, modelType });
  await writeFileDurable(join(dir, 'tokenizer_config.json'), JSON.stringify(config, null, 2) + '\n');
}
