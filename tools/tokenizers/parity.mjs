// Full parity run: attn's tokenizers against HF tokenizers (Rust, via @anush008/tokenizers) on the
// whole shared corpus (SST-2, CoNLL-2003, SQuAD, a Gutenberg sample) plus the adversarial list, for
// bert-base-uncased (tokenizer.json and vocab.txt), bert-base-cased (vocab.txt), gpt2 and roberta-base.
// Prints how many strings were compared and how many mismatched.
//   npx tsup --config packages/tokenizers/tsup.config.ts (or `cd packages/tokenizers && npx tsup`), then
//   node tools/tokenizers/parity.mjs [--data ../shared/data] [--quick]
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'packages/tokenizers/dist/index.js');
if (!existsSync(dist)) {
  console.error('packages/tokenizers/dist is missing: run `cd packages/tokenizers && npx tsup` first');
  process.exit(2);
}
const lib = await import(dist);
const require = createRequire(join(root, 'packages/tokenizers/package.json'));
const O = require('@anush008/tokenizers');
const { buildPairs, compareTokenizers } = await import(join(root, 'packages/tokenizers/test/parity_harness.mjs'));
const { loadCorpus, findSharedData } = await import(join(root, 'packages/tokenizers/test/corpus.mjs'));

const args = process.argv.slice(2);
const dataArg = args.indexOf('--data');
const dataDir = dataArg >= 0 ? args[dataArg + 1] : findSharedData(root);
if (!dataDir) {
  console.error('shared data not found; pass --data <dir>');
  process.exit(2);
}
const quick = args.includes('--quick');
const corpus = loadCorpus(dataDir, { gutenbergEvery: 1 });
const adversarial = JSON.parse(readFileSync(join(root, 'fixtures/tokenizer-corpus/adversarial.json'), 'utf8'));
const cut = (l) => (quick ? l.slice(0, 500) : l);

const singles = {
  sst2: cut(corpus.sst2),
  conll: cut(corpus.conll),
  squadContexts: cut(corpus.squadContexts),
  squadQuestions: cut(corpus.squadQuestions),
  gutenberg: cut(corpus.gutenberg),
  adversarial,
};
// Pair modes: the SQuAD doc-stride recipe, longest_first on neighbouring sentences, left truncation.
const sstPairs = cut(corpus.sst2.slice(0, 20000)).map((s, i, a) => [s, a[(i + 1) % a.length]]);
const advPairs = adversarial.map((s, i) => [s, adversarial[(i * 7 + 3) % adversarial.length]]);
const modes = [
  ['squad pairs only_second max 384 stride 128', cut(corpus.squadPairs), { maxLength: 384, stride: 128, strategy: 'only_second' }],
  ['squad pairs only_second max 64 stride 16', cut(corpus.squadPairs), { maxLength: 64, stride: 16, strategy: 'only_second' }],
  ['sst2 pairs longest_first max 16 stride 2', sstPairs, { maxLength: 16, stride: 2 }],
  ['conll single left max 12 stride 3', cut(corpus.conll), { maxLength: 12, stride: 3, direction: 'left' }],
  ['adversarial pairs', advPairs, undefined],
  ['adversarial pairs longest_first max 12 stride 2', advPairs, { maxLength: 12, stride: 2 }],
];

const tokenizers = await buildPairs(lib, O, join(root, 'fixtures/tokenizers'));
let total = 0;
let totalBad = 0;
const t0 = Date.now();
for (const [name, [mine, oracle]] of Object.entries(tokenizers)) {
  let n = 0;
  let bad = 0;
  const runs = [...Object.entries(singles).map(([k, v]) => [k, v, undefined]), ...modes];
  for (const [label, inputs, truncation] of runs) {
    const r = await compareTokenizers(mine, oracle, inputs, { truncation });
    n += r.compared;
    bad += r.mismatches;
    if (r.mismatches) {
      console.log(`  ${name} / ${label}: ${r.mismatches} of ${r.compared} mismatched`);
      for (const e of r.examples) console.log(`    ${JSON.stringify(e.input).slice(0, 160)}\n      ${e.diff}`);
    }
  }
  console.log(`${name}: compared ${n} inputs, ${bad} mismatches`);
  total += n;
  totalBad += bad;
}
console.log(`TOTAL: compared ${total} inputs (strings or pairs) over 5 tokenizers, ${totalBad} mismatches, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(totalBad === 0 ? 0 : 1);
