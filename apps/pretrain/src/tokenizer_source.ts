import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@attn/tokenizers';
import { CliError } from '@attn/cli';

/** A run's tokenizer and the files it was read from (their content keys the id cache). */
export interface TokenizerSource {
  tokenizer: Tokenizer;
  files: string[];
}

/**
 * `--tokenizer`: a tokenizer.json, or a directory holding tokenizer.json or GPT-2's vocab.json + merges.txt;
 * without it `--vocab` (a WordPiece vocab.txt, lower-cased unless `cased`).
 */
export async function openTokenizer(opts: { tokenizer?: string; vocab: string; cased: boolean }): Promise<TokenizerSource> {
  if (opts.tokenizer === undefined) {
    if (!existsSync(opts.vocab)) throw new CliError(`--vocab ${opts.vocab}: no such file; pass a WordPiece vocab.txt or --tokenizer.`);
    return { tokenizer: await Tokenizer.fromVocabFile(opts.vocab, { lowercase: !opts.cased }), files: [opts.vocab] };
  }
  const path = opts.tokenizer;
  if (!existsSync(path)) throw new CliError(`--tokenizer ${path}: no such file or directory; pass a tokenizer.json or a directory with tokenizer.json or vocab.json + merges.txt.`);
  if (!statSync(path).isDirectory()) return { tokenizer: await Tokenizer.fromFile(path), files: [path] };
  const json = join(path, 'tokenizer.json');
  if (existsSync(json)) return { tokenizer: await Tokenizer.fromFile(json), files: [json] };
  const [vocab, merges] = [join(path, 'vocab.json'), join(path, 'merges.txt')];
  if (existsSync(vocab) && existsSync(merges)) return { tokenizer: await Tokenizer.fromBPEFiles(vocab, merges), files: [vocab, merges] };
  throw new CliError(`--tokenizer ${path}: the directory has neither tokenizer.json nor vocab.json + merges.txt.`);
}
