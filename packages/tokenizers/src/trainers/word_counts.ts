import type { AddedVocabulary } from '../added_vocabulary';
import type { Normalizer } from '../normalizers/normalizer';
import type { PreTokenizer } from '../pre_tokenizers/pre_tokenizer';
import { toWellFormed } from '../well_formed';

/** The stages of a tokenizer that turn a training text into words. */
export interface WordSplitter {
  readonly addedVocabulary: AddedVocabulary;
  normalizer: Normalizer | null;
  preTokenizer: PreTokenizer | null;
}

/**
 * Counts the words of `texts` as HF's Tokenizer::train feeds its trainer: added tokens cut out,
 * the rest normalized and pre-tokenized; every piece, an added token's too, counts as one word.
 */
export async function countWords(tk: WordSplitter, texts: Iterable<string> | AsyncIterable<string>): Promise<Map<string, number>> {
  if (typeof texts === 'string') throw new TypeError('training texts must be an iterable of strings (e.g. an array of lines), got one string');
  const counts = new Map<string, number>();
  for await (const text of texts as AsyncIterable<string>) {
    if (typeof text !== 'string') throw new TypeError(`training texts must be strings, got ${text === null ? 'null' : typeof text}`);
    const pts = tk.addedVocabulary.extractAndNormalize(tk.normalizer, toWellFormed(text));
    tk.preTokenizer?.preTokenize(pts);
    for (const sp of pts.splits) counts.set(sp.ns.text, (counts.get(sp.ns.text) ?? 0) + 1);
  }
  return counts;
}

/** The lines of text files, each keeping its "\n" (and "\r"), as HF's train(files) reads them (Node only). */
export async function* linesOfFiles(files: string[]): AsyncGenerator<string> {
  const { createReadStream } = await import('node:fs');
  const { TokenizerError } = await import('../errors');
  for (const file of files) {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let rest = '';
    let offset = 0;
    const decode = (chunk?: Buffer): string => {
      try {
        return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      } catch {
        throw new TokenizerError(`not valid UTF-8 (after byte ${offset}); training files must be UTF-8 text`, { file });
      }
    };
    try {
      for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
        rest += decode(chunk);
        offset += chunk.length;
        let nl = rest.indexOf('\n');
        let from = 0;
        while (nl >= 0) {
          yield rest.slice(from, nl + 1);
          from = nl + 1;
          nl = rest.indexOf('\n', from);
        }
        rest = rest.slice(from);
      }
    } catch (e) {
      if (e instanceof TokenizerError) throw e;
      throw new TokenizerError(`cannot read training file (${(e as Error).message})`, { file });
    }
    rest += decode();
    if (rest.length > 0) yield rest;
  }
}
