#!/usr/bin/env node
// The token blocks `attn-generate train` trains and evaluates on, written for the PyTorch twin run
// (torch_twin.py) and the bigram baseline (bigram_baseline.py): the same reading (.txt: one text per
// non-empty line, its line break kept), tokenizer, group_texts blocks, and the same DataLoader order
// (shuffled per epoch from --seed), batch by batch.
//
//   node tools/gpt-pretrain/dump-blocks.mjs --tokenizer T --train /tmp/gpt/train.txt --dev /tmp/gpt/heldout.txt \
//     --block-size 128 --batch-size 16 --max-steps 1200 --seed 42 --out /tmp/gpt/blocks
//   → train_batches.u16 ([steps, batch, block], in update order), train_blocks.u16 (every block, corpus order),
//     dev_blocks.u16 ([blocks, block]), meta.json
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => join(root, 'packages', p, 'dist', 'index.js');
const { values: opt } = parseArgs({
  options: {
    tokenizer: { type: 'string' },
    train: { type: 'string', default: '/tmp/gpt/train.txt' },
    dev: { type: 'string', default: '/tmp/gpt/heldout.txt' },
    'block-size': { type: 'string', default: '128' },
    'batch-size': { type: 'string', default: '16' },
    'max-steps': { type: 'string' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: '/tmp/gpt/blocks' },
  },
});
const { Tokenizer } = await import(dist('tokenizers'));
const { groupTexts, ArrayDataset, DataLoader } = await import(dist('data'));
const tokenizer = await Tokenizer.fromFile(opt.tokenizer);
const blockSize = Number(opt['block-size']);
const batchSize = Number(opt['batch-size']);

/** As apps/generate's readCorpus + tokenizeIntoBlocks for a .txt file. */
function blocksOf(path) {
  const texts = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => `${l}\n`);
  return [...groupTexts(texts.map((t) => tokenizer.encode(t).ids), { blockSize })].map((b) => b.inputIds);
}
const u16 = (rows) => {
  const a = new Uint16Array(rows.length * blockSize);
  rows.forEach((r, i) => a.set(r, i * blockSize));
  return Buffer.from(a.buffer);
};

const train = blocksOf(opt.train);
const dev = blocksOf(opt.dev);
const loader = new DataLoader(new ArrayDataset(train), { batchSize, shuffle: true, seed: Number(opt.seed) });
const perEpoch = loader.batchIndices().length;
const steps = opt['max-steps'] ? Number(opt['max-steps']) : perEpoch;
const order = [];
for (let epoch = 0; order.length < steps; epoch++) {
  loader.setEpoch(epoch);
  for (const batch of loader.batchIndices()) {
    if (order.length === steps) break;
    if (batch.length !== batchSize) throw new Error(`step ${order.length + 1}: a short last batch (${batch.length}); pick --max-steps within full batches`);
    order.push(batch);
  }
}
mkdirSync(opt.out, { recursive: true });
writeFileSync(join(opt.out, 'train_batches.u16'), u16(order.flat().map((i) => train[i])));
writeFileSync(join(opt.out, 'train_blocks.u16'), u16(train));
writeFileSync(join(opt.out, 'dev_blocks.u16'), u16(dev));
const meta = { blockSize, batchSize, steps, seed: Number(opt.seed), trainBlocks: train.length, devBlocks: dev.length, batchesPerEpoch: perEpoch, vocabSize: tokenizer.getVocabSize() };
writeFileSync(join(opt.out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(JSON.stringify(meta));
