#!/usr/bin/env node
// Trains a WordPiece vocabulary (uncased by default, --cased keeps case and accents; BERT normalizer + pre-tokenizer) with @attn/tokenizers'
// trainWordPiece on the pretraining text: the Gutenberg books except the held-out one, plus the
// --extra files pretrain.mjs takes. Writes tokenizer.json + vocab.txt.
//   node tools/pretrain/train-vocab.mjs --vocab-size 8192 --out /tmp/pretrain/wp8k --extra ../shared/data/sst2/train.tsv
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extraTexts } from './corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opt } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(root, '..', 'shared', 'data', 'corpus', 'gutenberg') },
    holdout: { type: 'string', default: 'pg84' },
    extra: { type: 'string', multiple: true, default: [] },
    'squad-dev-articles': { type: 'string', default: '6' },
    'vocab-size': { type: 'string', default: '8192' },
    'min-frequency': { type: 'string', default: '2' },
    'limit-alphabet': { type: 'string', default: '1000' },
    cased: { type: 'boolean', default: false },
    out: { type: 'string', required: true },
  },
});
const { trainWordPiece } = await import(join(root, 'packages', 'tokenizers', 'dist', 'index.js'));
const { readGutenbergParagraphs } = await import(join(root, 'packages', 'data', 'dist', 'index.js'));

const texts = [];
for (const f of readdirSync(opt.corpus).filter((f) => f.endsWith('.txt') && !f.startsWith(`${opt.holdout}-`)).sort()) {
  texts.push(...(await readGutenbergParagraphs(join(opt.corpus, f))));
}
for (const e of opt.extra) texts.push(...extraTexts(e, { squadDevArticles: Number(opt['squad-dev-articles']) }));
const t0 = performance.now();
const tok = await trainWordPiece(texts, { vocabSize: Number(opt['vocab-size']), minFrequency: Number(opt['min-frequency']), limitAlphabet: Number(opt['limit-alphabet']), ...(opt.cased ? { lowercase: false, stripAccents: false } : {}) });
mkdirSync(opt.out, { recursive: true });
await tok.save(join(opt.out, 'tokenizer.json'));
const vocab = [];
for (let i = 0; i < tok.getVocabSize(); i++) vocab.push(tok.idToToken(i));
writeFileSync(join(opt.out, 'vocab.txt'), vocab.join('\n') + '\n');
console.log(`[train-vocab] ${texts.length} paragraphs → ${tok.getVocabSize()} tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${opt.out}`);
