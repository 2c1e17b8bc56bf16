// Builds fixtures/tokenizer-corpus/sample.json, the committed parity sample used by the
// @attn/tokenizers test suite: ~2,000 strings taken evenly from the shared corpus (SST-2, CoNLL-2003
// sentences, SQuAD questions and contexts, Gutenberg paragraphs) plus 100 SQuAD (question, context) pairs.
//   node tools/tokenizers/build-corpus-sample.mjs [--data ../shared/data]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { loadCorpus, findSharedData } = await import(join(root, 'packages/tokenizers/test/corpus.mjs'));
const i = process.argv.indexOf('--data');
const dir = i >= 0 ? process.argv[i + 1] : findSharedData(root);
const c = loadCorpus(dir, { gutenbergEvery: 1 });
const every = (list, n) => list.filter((_, k) => k % Math.floor(list.length / n) === 0).slice(0, n);
const sample = {
  sst2: every(c.sst2, 600),
  conll: every(c.conll, 500),
  squadQuestions: every(c.squadQuestions, 300),
  squadContexts: every(c.squadContexts, 100),
  gutenberg: every(c.gutenberg, 500),
  squadPairs: every(c.squadPairs, 100),
};
writeFileSync(join(root, 'fixtures/tokenizer-corpus/sample.json'), JSON.stringify(sample) + '\n');
console.log(Object.entries(sample).map(([k, v]) => `${k} ${v.length}`).join(', '));
