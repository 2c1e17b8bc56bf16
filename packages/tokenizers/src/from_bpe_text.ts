import type { AddedToken } from './added_vocabulary';
import { ByteLevelDecoder } from './decoders/byte_level';
import { TokenizerError } from './errors';
import { asVocab } from './json_fields';
import { BPE } from './models/bpe';
import { ByteLevelPostProcessor } from './post_processors/byte_level';
import { RobertaProcessing } from './post_processors/roberta_processing';
import { ByteLevelPreTokenizer } from './pre_tokenizers/byte_level';
import { Tokenizer, type BPEFilesOptions } from './tokenizer';

/** Parses merges.txt: "a b" per line, "#version" lines skipped. */
export function parseMergesText(text: string, source: string): Array<[string, string]> {
  const lines = text.split('\n');
  const merges: Array<[string, string]> = [];
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('#version')) return;
    if (line.length === 0 && i === lines.length - 1) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TokenizerError(`expected a merge "a b" (two tokens separated by one space), found ${JSON.stringify(line.slice(0, 60))}`, { file: source, field: `line ${i + 1}` });
    }
    merges.push([parts[0]!, parts[1]!]);
  });
  return merges;
}

export function parseVocabJson(text: string, source: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TokenizerError(`not valid JSON (${(e as Error).message}); expected {"token": id, ...}`, { file: source });
  }
  const vocab = asVocab(parsed, { file: source, path: '' });
  if (vocab.size === 0) throw new TokenizerError('the vocabulary is empty', { file: source });
  return vocab;
}

const added = (content: string, id: number, opts: Partial<AddedToken> = {}): AddedToken => ({
  content,
  id,
  special: true,
  singleWord: false,
  lstrip: false,
  rstrip: false,
  normalized: true,
  ...opts,
});

/**
 * A byte-level BPE tokenizer from vocab.json + merges.txt, configured as transformers' converters
 * build GPT-2 (ByteLevel post-processor without offset trimming) and RoBERTa (<s> A </s></s> B </s>,
 * trimmed offsets, <mask> with lstrip).
 */
export function tokenizerFromBPEText(vocabJson: string, mergesTxt: string, opts: BPEFilesOptions = {}, vocabSource = '<inline>', mergesSource = '<inline>'): Tokenizer {
  const vocab = parseVocabJson(vocabJson, vocabSource);
  const merges = parseMergesText(mergesTxt, mergesSource);
  const model = new BPE(vocab, merges, { continuingSubwordPrefix: '', endOfWordSuffix: '', source: mergesSource });
  const kind = opts.kind ?? 'gpt2';
  const ids = (t: string): number | undefined => vocab.get(t);
  if (kind === 'roberta') {
    for (const t of ['<s>', '</s>']) if (ids(t) === undefined) throw new TokenizerError(`RoBERTa needs ${t} in the vocabulary`, { file: vocabSource, field: t });
    const specials: AddedToken[] = [];
    for (const t of ['<s>', '<pad>', '</s>', '<unk>']) if (ids(t) !== undefined) specials.push(added(t, ids(t)!));
    if (ids('<mask>') !== undefined) specials.push(added('<mask>', ids('<mask>')!, { lstrip: true, normalized: false }));
    return new Tokenizer({
      model,
      preTokenizer: new ByteLevelPreTokenizer(false, true, true),
      postProcessor: new RobertaProcessing(['</s>', ids('</s>')!], ['<s>', ids('<s>')!], true, false),
      decoder: new ByteLevelDecoder(),
      addedTokens: specials,
    });
  }
  const eot = ids('<|endoftext|>');
  return new Tokenizer({
    model,
    preTokenizer: new ByteLevelPreTokenizer(false, true, true),
    postProcessor: new ByteLevelPostProcessor(false, true, true),
    decoder: new ByteLevelDecoder(),
    addedTokens: eot === undefined ? [] : [added('<|endoftext|>', eot)],
  });
}
