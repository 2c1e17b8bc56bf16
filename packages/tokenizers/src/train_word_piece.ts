import { AddedVocabulary } from './added_vocabulary';
import { WordPieceDecoder } from './decoders/word_piece';
import { TokenizerError } from './errors';
import { WordPiece } from './models/word_piece';
import { BertNormalizer } from './normalizers/bert_normalizer';
import { BertProcessing } from './post_processors/bert_processing';
import { BertPreTokenizer } from './pre_tokenizers/bert_pre_tokenizer';
import { Tokenizer } from './tokenizer';
import { BpeTrainer } from './trainers/bpe_trainer';
import { countWords } from './trainers/word_counts';

export interface TrainWordPieceOptions {
  /** Target vocabulary size, special tokens and alphabet included. */
  vocabSize: number;
  /** Merges of pairs seen fewer times than this stop training (HF default 0). */
  minFrequency?: number;
  /** Added first, ids 0.. in this order. Default [PAD] [UNK] [CLS] [SEP] [MASK]. */
  specialTokens?: string[];
  /** Keep only the most frequent characters in the alphabet. */
  limitAlphabet?: number;
  /** Characters always kept in the alphabet. */
  initialAlphabet?: string[];
  continuingSubwordPrefix?: string;
  unkToken?: string;
  /** BertNormalizer settings (default: lowercase, accents stripped, like bert-base-uncased). */
  lowercase?: boolean;
  stripAccents?: boolean;
  cleanText?: boolean;
  handleChineseChars?: boolean;
}

/**
 * Trains a WordPiece vocabulary as HF's WordPieceTrainer does: BPE merges over the normalized,
 * pre-tokenized words (later pieces carrying the "##" prefix), the resulting vocabulary read as
 * WordPiece. Words are visited in order of first appearance, so training is deterministic (HF's
 * hash-map order is not: ids of equally frequent merges may differ from a Rust run).
 */
export async function trainWordPiece(texts: Iterable<string> | AsyncIterable<string>, opts: TrainWordPieceOptions): Promise<Tokenizer> {
  if (!Number.isInteger(opts.vocabSize) || opts.vocabSize <= 0) throw new TokenizerError(`vocabSize must be a positive integer, got ${opts.vocabSize}`, { field: 'vocabSize' });
  const prefix = opts.continuingSubwordPrefix ?? '##';
  const minFrequency = opts.minFrequency ?? 0;
  const specialTokens = opts.specialTokens ?? ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const unk = opts.unkToken ?? '[UNK]';
  const lowercase = opts.lowercase ?? true;
  const normalizer = new BertNormalizer({ lowercase, stripAccents: opts.stripAccents ?? null, cleanText: opts.cleanText ?? true, handleChineseChars: opts.handleChineseChars ?? true });
  const pre = new BertPreTokenizer();

  // 1. Word counts.
  const counts = await countWords({ addedVocabulary: new AddedVocabulary(), normalizer, preTokenizer: pre }, texts);

  // 2-5. HF's WordPieceTrainer is its BpeTrainer with the "##" prefix; the vocabulary is what it keeps.
  const trainer = new BpeTrainer({ vocabSize: opts.vocabSize, minFrequency, specialTokens, limitAlphabet: opts.limitAlphabet, initialAlphabet: opts.initialAlphabet, continuingSubwordPrefix: prefix, showProgress: false });
  const wordToId = trainer.learn(counts).vocab;

  const tk = new Tokenizer({
    model: new WordPiece(wordToId, { unkToken: unk, continuingSubwordPrefix: prefix }),
    normalizer,
    preTokenizer: pre,
    postProcessor: wordToId.has('[CLS]') && wordToId.has('[SEP]') ? new BertProcessing(['[SEP]', wordToId.get('[SEP]')!], ['[CLS]', wordToId.get('[CLS]')!]) : null,
    decoder: new WordPieceDecoder(prefix, true),
  });
  tk.addSpecialTokens(specialTokens);
  return tk;
}
