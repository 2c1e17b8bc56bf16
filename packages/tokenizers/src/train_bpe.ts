import { BYTE_TO_CHAR } from './byte_level_alphabet';
import { TokenizerError } from './errors';
import { postProcessorFromJSON } from './post_processors/registry';
import { Tokenizer } from './tokenizer';
import { BpeTrainer, type BpeTrainerOptions } from './trainers/bpe_trainer';
import { countWords } from './trainers/word_counts';

export interface TrainBpeOptions extends BpeTrainerOptions {
  /**
   * 'byte-level' (default): GPT-2's pipeline. ByteLevel pre-tokenizer (GPT-2 regex, no prefix space),
   * the 256 byte characters as initial alphabet so that any text encodes, ByteLevel decoder;
   * special tokens default to ["<|endoftext|>"].
   * 'byte-fallback': Llama-2's pipeline. Normalizer Prepend "▁" + Replace " " → "▁", no
   * pre-tokenizer (each training text is one word, so feed lines), BPE with byte fallback (the 256
   * tokens <0x00>…<0xFF> take the ids right after the special tokens), decoder Replace + ByteFallback
   * + Fuse + Strip, post-processor "<s> $A"; special tokens default to ["<unk>", "<s>", "</s>"].
   */
  kind?: 'byte-level' | 'byte-fallback';
  /** byte-fallback: the unknown token (default "<unk>") and the token put first (default "<s>"). */
  unkToken?: string;
  bosToken?: string;
}

const BYTE_TOKENS = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);

const emptyBpe = (unkToken: string | null, byteFallback: boolean): Record<string, unknown> => ({
  type: 'BPE', dropout: null, unk_token: unkToken, continuing_subword_prefix: null, end_of_word_suffix: null,
  fuse_unk: byteFallback, byte_fallback: byteFallback, ignore_merges: false, vocab: {}, merges: [],
});

function byteLevelPipeline(): Tokenizer {
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return Tokenizer.fromJSON({
    model: emptyBpe(null, false),
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', ...byteLevel },
  }, 'trainBpe(byte-level)');
}

function byteFallbackPipeline(unkToken: string): Tokenizer {
  return Tokenizer.fromJSON({
    model: emptyBpe(unkToken, true),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    decoder: {
      type: 'Sequence',
      decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
    },
  }, 'trainBpe(byte-fallback)');
}

/**
 * Trains a BPE tokenizer from texts with HF BpeTrainer's semantics (see BpeTrainer) and returns the
 * whole pipeline, ready to encode and to save as a tokenizer.json that HF tokenizers loads.
 * With kind 'byte-fallback', the lines of the Gutenberg corpus (each line `.strip()`ped as Python
 * does) and vocabSize 4000 give ../shared/data/tokenizers/llama-style-bpe/tokenizer.json exactly.
 */
export async function trainBpe(texts: Iterable<string> | AsyncIterable<string>, opts: TrainBpeOptions = {}): Promise<Tokenizer> {
  const kind = opts.kind ?? 'byte-level';
  if (kind === 'byte-level') {
    const tk = byteLevelPipeline();
    const trainer = new BpeTrainer({ ...opts, specialTokens: opts.specialTokens ?? ['<|endoftext|>'], initialAlphabet: [...BYTE_TO_CHAR, ...(opts.initialAlphabet ?? [])] });
    return tk.trainFromIterator(texts, trainer);
  }
  if (kind !== 'byte-fallback') throw new TokenizerError(`kind must be 'byte-level' or 'byte-fallback', got ${JSON.stringify(kind)}`, { field: 'kind' });
  const unk = opts.unkToken ?? '<unk>';
  const bos = opts.bosToken ?? '<s>';
  const specials = opts.specialTokens ?? [unk, bos, '</s>'];
  const tk = byteFallbackPipeline(unk);
  // The byte tokens are ordinary vocabulary entries, placed right after the special tokens.
  const trainer = new BpeTrainer({ ...opts, specialTokens: [...specials, ...BYTE_TOKENS] });
  tk.model = trainer.train(await countWords(tk, texts), tk.model).model;
  tk.addSpecialTokens(specials);
  const bosId = tk.tokenToId(bos);
  if (bosId !== undefined) {
    tk.postProcessor = postProcessorFromJSON({
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }],
      special_tokens: { [bos]: { id: bos, ids: [bosId], tokens: [bos] } },
    }, { file: 'trainBpe(byte-fallback)', path: 'post_processor' });
  }
  return tk;
}
