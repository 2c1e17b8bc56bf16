import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { trainWordPiece, type Tokenizer } from '@attn/tokenizers';
import { CliError, numberFlag } from '@attn/cli';
import { corpusBooks, corpusTexts } from '../corpus';

export interface VocabFlags {
  out: string;
  corpus?: string;
  holdout?: string;
  extra?: string[];
  squadDevArticles?: string;
  maxBooks?: string;
  vocabSize?: string;
  minFrequency?: string;
  limitAlphabet?: string;
  cased?: boolean;
}

/**
 * `attn-pretrain vocab`: a WordPiece vocabulary (BERT normalizer and pre-tokenizer; uncased unless --cased)
 * trained with @attn/tokenizers' trainWordPiece on the pretraining text — the books but the held-out one,
 * plus --extra. Writes tokenizer.json and vocab.txt into --out.
 */
export async function vocabCommand(f: VocabFlags, defaults: { corpus: string }, print: (s: string) => void = (s) => console.log(`[vocab] ${s}`)): Promise<Tokenizer> {
  const n = (flag: string, v: string | undefined, d: number) => (v === undefined ? d : numberFlag(flag, v, { int: true, min: 1 }));
  const books = corpusBooks({
    dir: f.corpus ?? defaults.corpus,
    holdout: f.holdout ?? 'pg84',
    maxBooks: f.maxBooks === undefined ? undefined : n('max-books', f.maxBooks, 0),
    extra: f.extra ?? [],
    squadDevArticles: f.squadDevArticles === undefined ? 6 : numberFlag('squad-dev-articles', f.squadDevArticles, { int: true, min: 0 }),
  });
  const texts = await corpusTexts(books.train, f.extra ?? [], f.squadDevArticles === undefined ? 6 : Number(f.squadDevArticles));
  if (texts.length === 0) throw new CliError('vocab: the corpus has no text.');
  const t0 = performance.now();
  const tok = await trainWordPiece(texts, {
    vocabSize: n('vocab-size', f.vocabSize, 8192),
    minFrequency: n('min-frequency', f.minFrequency, 2),
    limitAlphabet: n('limit-alphabet', f.limitAlphabet, 1000),
    ...(f.cased ? { lowercase: false, stripAccents: false } : {}),
  });
  await mkdir(f.out, { recursive: true });
  await tok.save(join(f.out, 'tokenizer.json'));
  await tok.saveVocabFile(join(f.out, 'vocab.txt'));
  print(`${texts.length} paragraphs → ${tok.getVocabSize()} tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${f.out}`);
  return tok;
}
