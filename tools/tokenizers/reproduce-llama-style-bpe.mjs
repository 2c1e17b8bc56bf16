// Trains attn's byte-fallback BPE on the whole Gutenberg corpus the way
// ../shared/data/tokenizers/llama-style-bpe/tokenizer.json was trained by HF tokenizers 0.23.2, and
// checks that the vocabulary (id order), merges (rank order), added tokens and pipeline are equal.
// That pipeline (found by re-running HF on candidates until it matched): each of the 12 books read
// whole, as Python's open(f, encoding='utf-8') reads it (the byte-order mark kept, the Project
// Gutenberg header and footer kept), split into lines, each line .strip()ped, fed to
// train_from_iterator with BpeTrainer(vocab_size=4000, special_tokens=[<unk>, <s>, </s>,
// <0x00>…<0xFF>]); the byte tokens then taken out of added_tokens.
//   cd packages/tokenizers && npx tsup && cd ../..
//   nice -n 10 node tools/tokenizers/reproduce-llama-style-bpe.mjs [--data ../shared/data] [--out trained.json]
// Takes minutes (HF itself took 2.5-4 min here on 2 busy cores).
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'packages/tokenizers/dist/index.js');
if (!existsSync(dist)) {
  console.error('packages/tokenizers/dist is missing: run `cd packages/tokenizers && npx tsup` first');
  process.exit(2);
}
const { trainBpe } = await import(dist);
const { findSharedData, strippedLines } = await import(join(root, 'packages/tokenizers/test/corpus.mjs'));
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const data = arg('--data') ?? findSharedData(root);
if (!data) {
  console.error('shared data not found; pass --data <dir>');
  process.exit(2);
}

const gdir = join(data, 'corpus', 'gutenberg');
const lines = [];
for (const f of readdirSync(gdir).sort()) lines.push(...strippedLines(readFileSync(join(gdir, f), 'utf8')));
const t0 = performance.now();
const tk = await trainBpe(lines, { kind: 'byte-fallback', vocabSize: 4000 });
const seconds = (performance.now() - t0) / 1000;
const mine = tk.toJSON();
if (arg('--out')) writeFileSync(arg('--out'), JSON.stringify(mine, null, 2));

const ref = JSON.parse(readFileSync(join(data, 'tokenizers', 'llama-style-bpe', 'tokenizer.json'), 'utf8'));
const ordered = (v) => Object.entries(v).sort((a, b) => a[1] - b[1]).map(([t]) => t);
const checks = {
  vocab: [ordered(mine.model.vocab), ordered(ref.model.vocab)],
  merges: [mine.model.merges.map((m) => m.join(' ')), ref.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m))],
  added_tokens: [mine.added_tokens, ref.added_tokens],
  normalizer: [mine.normalizer, ref.normalizer],
  pre_tokenizer: [mine.pre_tokenizer, ref.pre_tokenizer],
  post_processor: [mine.post_processor, ref.post_processor],
  decoder: [mine.decoder, ref.decoder],
  model_options: [{ ...mine.model, vocab: 0, merges: 0 }, { ...ref.model, vocab: 0, merges: 0 }],
};
let bad = 0;
for (const [name, [a, b]] of Object.entries(checks)) {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]))) {
    console.log(`${name}: equal${name === 'vocab' || name === 'merges' ? ` (${a.length})` : ''}`);
    continue;
  }
  if (!Array.isArray(a) && JSON.stringify(a) === JSON.stringify(b)) {
    console.log(`${name}: equal`);
    continue;
  }
  bad++;
  const i = Array.isArray(a) ? a.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(b[k])) : -1;
  console.log(`${name}: DIFFERENT${i >= 0 ? ` from index ${i}: attn ${JSON.stringify(a[i])}, HF ${JSON.stringify(b[i])}` : `: attn ${JSON.stringify(a).slice(0, 200)}, HF ${JSON.stringify(b).slice(0, 200)}`}`);
}
console.log(`${lines.length} lines, trained in ${seconds.toFixed(1)} s; ${bad === 0 ? 'attn reproduces llama-style-bpe/tokenizer.json' : `${bad} parts differ`}`);
process.exit(bad === 0 ? 0 : 1);
