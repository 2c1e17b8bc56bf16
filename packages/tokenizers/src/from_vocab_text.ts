import { WordPieceDecoder } from './decoders/word_piece';
import { TokenizerError } from './errors';
import { WordPiece } from './models/word_piece';
import { BertNormalizer } from './normalizers/bert_normalizer';
import { BertProcessing } from './post_processors/bert_processing';
import { BertPreTokenizer } from './pre_tokenizers/bert_pre_tokenizer';
import { Tokenizer, type VocabOptions } from './tokenizer';

/** Parses vocab.txt: one token per line, the line number is the id. */
export function parseVocabText(text: string, source: string): Map<string, number> {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new TokenizerError('the vocabulary is empty; expected one token per line', { file: source, field: 'line 1' });
  const vocab = new Map<string, number>();
  lines.forEach((raw, i) => {
    const token = raw.trimEnd();
    if (token.length === 0) throw new TokenizerError('empty token; every line of vocab.txt must hold one token (its line number is its id)', { file: source, field: `line ${i + 1}` });
    const prev = vocab.get(token);
    if (prev !== undefined) throw new TokenizerError(`token ${JSON.stringify(token)} already appears on line ${prev + 1}; ids would be ambiguous`, { file: source, field: `line ${i + 1}` });
    vocab.set(token, i);
  });
  return vocab;
}

/** The content of vocab.txt for a WordPiece tokenizer: every id from 0 in order, one token a line (parseVocabText's inverse). */
export function vocabText(tokenizer: Tokenizer, target = '<inline>'): string {
  if (!(tokenizer.model instanceof WordPiece)) {
    throw new TokenizerError(`vocab.txt holds a WordPiece vocabulary; this tokenizer's model is ${String(tokenizer.model.toJSON()['type'])}: save tokenizer.json instead`, { file: target, field: 'model.type' });
  }
  const size = tokenizer.getVocabSize(); // once, not per id
  const lines: string[] = [];
  for (let id = 0; id < size; id++) {
    const token = tokenizer.idToToken(id);
    // A gap would shift every later id by one line.
    if (token === undefined) throw new TokenizerError(`no token has id ${id}, so the ids after it cannot be line numbers`, { file: target, field: `line ${id + 1}` });
    lines.push(token);
  }
  return lines.join('\n') + '\n';
}

/**
 * A BERT tokenizer from the content of vocab.txt, built as HF's BertWordPieceTokenizer: special
 * tokens found in the vocabulary are registered, BertNormalizer, BertPreTokenizer, WordPiece,
 * [CLS] A [SEP] (B [SEP]).
 */
export function tokenizerFromVocabText(text: string, opts: VocabOptions = {}, source = '<inline>'): Tokenizer {
  const vocab = parseVocabText(text, source);
  const unk = opts.unkToken ?? '[UNK]';
  if (!vocab.has(unk)) throw new TokenizerError(`the unknown token ${JSON.stringify(unk)} is not in the vocabulary; pass unkToken or fix the file`, { file: source, field: 'unk_token' });
  const lowercase = opts.lowercase ?? true;
  const specials = [unk, '[SEP]', '[CLS]', '[PAD]', '[MASK]'].filter((t) => vocab.has(t));
  const sep = vocab.get('[SEP]');
  const cls = vocab.get('[CLS]');
  const tk = new Tokenizer({
    model: new WordPiece(vocab, { unkToken: unk }),
    normalizer: new BertNormalizer({ cleanText: opts.cleanText ?? true, handleChineseChars: opts.handleChineseChars ?? true, stripAccents: opts.stripAccents ?? null, lowercase }),
    preTokenizer: new BertPreTokenizer(),
    postProcessor: sep !== undefined && cls !== undefined ? new BertProcessing(['[SEP]', sep], ['[CLS]', cls]) : null,
    decoder: new WordPieceDecoder('##', true),
  });
  tk.addSpecialTokens(specials);
  return tk;
}
