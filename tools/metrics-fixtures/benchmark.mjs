#!/usr/bin/env node
// Speed and sanity of @attn/metrics on real data (not part of CI).
//   cd packages/metrics && npx tsup && cd ../.. && node tools/metrics-fixtures/benchmark.mjs
// Writes /tmp/attn-squad-preds.json for squad_v1_official_check.py (the
// official v1.1 formula in Python) to confirm EM/F1 on the same predictions.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as m from '../../packages/metrics/dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = join(root, '..', 'shared', 'data');
const time = (label, f) => {
  const t0 = performance.now();
  const r = f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
  return r;
};
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

// Classification: 1M samples, 10 classes, ~70% accuracy.
const n = 1_000_000;
const yTrue = Array.from({ length: n }, () => Math.floor(rand() * 10));
const yPred = yTrue.map((t) => (rand() < 0.7 ? t : Math.floor(rand() * 10)));
time('classificationReport 1M x 10 classes', () => m.classificationReport(yTrue, yPred));
time('confusionMatrix 1M', () => m.confusionMatrix(yTrue, yPred));

// CoNLL-2003 validation: gold vs gold, then 5% of tags replaced.
const sentences = [];
let cur = [];
for (const line of readFileSync(join(data, 'conll2003', 'valid.txt'), 'utf8').split('\n')) {
  if (line.startsWith('-DOCSTART-') || line.trim() === '') {
    if (cur.length) sentences.push(cur);
    cur = [];
  } else cur.push(line.trim().split(/\s+/).at(-1));
}
if (cur.length) sentences.push(cur);
const tags = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'];
const noisy = sentences.map((s) => s.map((t) => (rand() < 0.05 ? tags[Math.floor(rand() * tags.length)] : t)));
const tokens = sentences.reduce((a, s) => a + s.length, 0);
console.log(`CoNLL-2003 valid: ${sentences.length} sentences, ${tokens} tokens`);
const gold = m.seqevalClassificationReport(sentences, sentences, { outputDict: true });
console.log('entities per type (gold):', Object.fromEntries(Object.entries(gold).map(([k, v]) => [k, v.support])));
console.log(time('seqeval report default mode', () => m.seqevalClassificationReport(sentences, noisy, { digits: 4 })));
console.log(time('seqeval report strict IOB2', () => m.seqevalClassificationReport(sentences, noisy, { mode: 'strict', scheme: 'IOB2', digits: 4 })));

// SQuAD v1.1 (dev part): predict a shortened first gold answer for every 3rd question.
const squad = JSON.parse(readFileSync(join(data, 'squad', 'squad-v1.1-dev-part-train.json'), 'utf8'));
const refs = {};
const preds = {};
let i = 0;
for (const article of squad.data) {
  for (const p of article.paragraphs) {
    for (const qa of p.qas) {
      refs[qa.id] = qa.answers.map((a) => a.text);
      const first = qa.answers[0].text;
      preds[qa.id] = i++ % 3 === 0 ? first.split(' ').slice(0, 1).join(' ') + ' extra' : first;
    }
  }
}
console.log(`SQuAD questions: ${Object.keys(refs).length}`);
console.log(time('squadV1', () => m.squadV1(preds, refs)));
writeFileSync('/tmp/attn-squad-preds.json', JSON.stringify(preds));
