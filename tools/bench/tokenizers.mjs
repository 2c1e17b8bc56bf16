// Tokens per second encoding every SST-2 + CoNLL-2003 sentence with bert-base-uncased
// (tokenizer.json), single-threaded, for attn, the Rust oracle (HF tokenizers through
// @anush008/tokenizers) and @huggingface/tokenizers (transformers.js' JS tokenizer), with ratios.
//   cd packages/tokenizers && npx tsup && cd ../.. && node tools/bench/tokenizers.mjs [--rounds 3] [--limit N]
process.env.RAYON_NUM_THREADS = '1'; // the Rust side must be single-threaded too (read when its pool starts)
process.env.TOKENIZERS_PARALLELISM = 'false';
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
const { Tokenizer } = await import(dist);
const require = createRequire(join(root, 'packages/tokenizers/package.json'));
const O = require('@anush008/tokenizers');
const HF = await import(require.resolve('@huggingface/tokenizers'));
const { loadCorpus, findSharedData } = await import(join(root, 'packages/tokenizers/test/corpus.mjs'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const rounds = arg('--rounds', 3);
const dataDir = findSharedData(root);
const corpus = loadCorpus(dataDir, { gutenbergEvery: 1000 });
const texts = [...corpus.sst2, ...corpus.conll].slice(0, arg('--limit', Infinity));
const jsonPath = join(root, 'fixtures/tokenizers/bert-base-uncased/tokenizer.json');

const attn = await Tokenizer.fromFile(jsonPath);
const rust = O.Tokenizer.fromFile(jsonPath);
const HFTokenizer = HF.Tokenizer ?? HF.default?.Tokenizer ?? HF.default;
const hfjs = new HFTokenizer(JSON.parse(readFileSync(jsonPath, 'utf8')), { do_lower_case: true });

// Wall time and process CPU time (all threads): on a shared machine the CPU rate is the steadier one.
async function time(name, fn) {
  let best = Infinity;
  let bestCpu = Infinity;
  let tokens = 0;
  await fn(); // warm-up: JIT, caches
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    tokens = await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
  }
  const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(11);
  console.log(`${name.padEnd(42)} ${String(tokens).padStart(9)} tokens  wall ${best.toFixed(2).padStart(6)} s ${fmt(tokens / best)} tok/s   cpu ${bestCpu.toFixed(2).padStart(6)} s ${fmt(tokens / bestCpu)} tok/s`);
  return { wall: tokens / best, cpu: tokens / bestCpu };
}

console.log(`bert-base-uncased, ${texts.length} sentences (SST-2 + CoNLL-2003), best of ${rounds} after a warm-up`);
const rAttn = await time('attn encode (sync)', () => {
  let n = 0;
  for (const t of texts) n += attn.encode(t).ids.length;
  return n;
});
// A fresh tokenizer per round: every word is a cache miss once (the JIT is warm).
const freshOnes = await Promise.all(Array.from({ length: rounds + 1 }, () => Tokenizer.fromFile(jsonPath)));
await time('attn encode (cold word cache)', async () => {
  const fresh = freshOnes.pop();
  let n = 0;
  for (const t of texts) n += fresh.encode(t).ids.length;
  return n;
});
const rRustSeq = await time('HF Rust via @anush008 encode (await each)', async () => {
  let n = 0;
  for (const t of texts) n += (await rust.encode(t)).getIds().length;
  return n;
});
const rRustBatch = await time('HF Rust via @anush008 encodeBatch (1 thr)', async () => {
  let n = 0;
  for (let i = 0; i < texts.length; i += 1024) for (const e of await rust.encodeBatch(texts.slice(i, i + 1024))) n += e.getIds().length;
  return n;
});
const rHf = await time('@huggingface/tokenizers encode', () => {
  let n = 0;
  for (const t of texts) n += hfjs.encode(t).ids.length;
  return n;
});
const r = (a, b, k) => (a[k] / b[k]).toFixed(2);
console.log(`ratios (wall / cpu): attn vs Rust await-each ${r(rAttn, rRustSeq, 'wall')}x / ${r(rAttn, rRustSeq, 'cpu')}x, attn vs Rust encodeBatch ${r(rAttn, rRustBatch, 'wall')}x / ${r(rAttn, rRustBatch, 'cpu')}x, attn vs @huggingface/tokenizers ${r(rAttn, rHf, 'wall')}x / ${r(rAttn, rHf, 'cpu')}x`);
