#!/usr/bin/env node
// Plain-text splits of the shared Project Gutenberg corpus for pretraining the default GPT
// (models/attn-gpt-tiny): each book's body between the "*** START OF" / "*** END OF" markers
// (@attn/data's stripGutenberg), one paragraph per line with its hard wraps joined.
// Frankenstein (pg84) is the held-out book; the other 11 are training text, in file-name order.
//
//   node tools/gpt-pretrain/prepare-corpus.mjs --out /tmp/gpt
//   → /tmp/gpt/train.txt, /tmp/gpt/heldout.txt
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opt } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(root, '..', 'shared', 'data', 'corpus', 'gutenberg') },
    holdout: { type: 'string', default: 'pg84' },
    out: { type: 'string', default: '/tmp/gpt' },
  },
});
const { readGutenbergParagraphs } = await import(join(root, 'packages', 'data', 'dist', 'index.js'));

const train = [];
const heldout = [];
const books = readdirSync(opt.corpus).filter((f) => f.endsWith('.txt')).sort();
for (const f of books) {
  const paragraphs = await readGutenbergParagraphs(join(opt.corpus, f));
  (f.startsWith(`${opt.holdout}-`) ? heldout : train).push(...paragraphs);
  console.log(`${f}: ${paragraphs.length} paragraphs${f.startsWith(`${opt.holdout}-`) ? ' (held out)' : ''}`);
}
if (heldout.length === 0) throw new Error(`--holdout ${opt.holdout}: no book in ${opt.corpus} starts with that name`);
mkdirSync(opt.out, { recursive: true });
const write = (name, ps) => {
  const text = ps.map((p) => `${p}\n`).join('');
  writeFileSync(join(opt.out, name), text);
  console.log(`${join(opt.out, name)}: ${ps.length} paragraphs, ${text.length} characters`);
};
write('train.txt', train);
write('heldout.txt', heldout);
