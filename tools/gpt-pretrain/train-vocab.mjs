#!/usr/bin/env node
// The default GPT's vocabulary trained by attn's own BpeTrainer (@attn/tokenizers), the same pipeline and
// settings as train_vocab.py (HF tokenizers): ByteLevel pre-tokenizer / decoder / post-processor, BPE over
// the 256 byte symbols, vocab 4,096, min frequency 2, "<|endoftext|>". With --compare, checks that the
// result equals another tokenizer.json (the HF-trained one) entry by entry.
//
//   node tools/gpt-pretrain/train-vocab.mjs --train /tmp/gpt/train.txt --out /tmp/gpt/tokenizer-attn.json --compare models/attn-gpt2-tiny/tokenizer.json
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { Tokenizer, BpeTrainer } = await import(join(root, 'packages', 'tokenizers', 'dist', 'index.js'));
const { values: opt } = parseArgs({
  options: {
    train: { type: 'string', default: '/tmp/gpt/train.txt' },
    out: { type: 'string', default: '/tmp/gpt/tokenizer-attn.json' },
    'vocab-size': { type: 'string', default: '4096' },
    'min-frequency': { type: 'string', default: '2' },
    compare: { type: 'string' },
  },
});

// GPT-2's byte → printable character table (HF ByteLevel.alphabet()).
const printable = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
let next = 256;
const alphabet = Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : next++));

const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
const tk = Tokenizer.fromJSON({
  model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: {}, merges: [] },
  pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
  post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
}, 'train-vocab');
const start = Date.now();
await tk.train([opt.train], new BpeTrainer({ vocabSize: Number(opt['vocab-size']), minFrequency: Number(opt['min-frequency']), specialTokens: ['<|endoftext|>'], initialAlphabet: alphabet, showProgress: false }));
await tk.save(opt.out);
console.log(`${opt.out}: ${tk.getVocabSize()} tokens in ${((Date.now() - start) / 1000).toFixed(1)} s`);

if (opt.compare) {
  const ours = JSON.parse(readFileSync(opt.out, 'utf8'));
  const theirs = JSON.parse(readFileSync(opt.compare, 'utf8'));
  const vocab = (j) => Object.entries(j.model.vocab).sort((a, b) => a[1] - b[1]);
  const merges = (j) => j.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  const checks = {
    vocab: isDeepStrictEqual(vocab(ours), vocab(theirs)),
    merges: isDeepStrictEqual(merges(ours), merges(theirs)),
    added_tokens: isDeepStrictEqual(ours.added_tokens, theirs.added_tokens),
    pre_tokenizer: isDeepStrictEqual(ours.pre_tokenizer, theirs.pre_tokenizer),
    decoder: isDeepStrictEqual(ours.decoder, theirs.decoder),
    post_processor: isDeepStrictEqual(ours.post_processor, theirs.post_processor),
  };
  console.log(`compared with ${opt.compare}: ${Object.entries(checks).map(([k, v]) => `${k} ${v ? 'equal' : 'DIFFERENT'}`).join(', ')} (${merges(ours).length} vs ${merges(theirs).length} merges)`);
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}
