import { Tokenizer } from '@attn/tokenizers';

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

/** Writes tokenizer.json into a model directory so the directory is self-contained. */
export async function saveTokenizer(tokenizer: Tokenizer, dir: string): Promise<void> {
  const { join } = await import('node:path');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await tokenizer.save(join(dir, 'tokenizer.json'));
}
