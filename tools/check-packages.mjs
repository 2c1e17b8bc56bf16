#!/usr/bin/env node
// Proves "install only the packages you need": packs every package with pnpm, installs each
// tarball (plus only the @attn packages it depends on) into a fresh npm project, then imports it
// from ESM and from CJS and makes one real call.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelFiles, packPackages, workspaceRanges } from './pack.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

// One real call per package; `m` is the imported module. Async bodies are awaited.
const smoke = {
  tensor: `await m.initBackend({ backend: 'wasm' }); const v = m.tf.tidy(() => m.gelu(m.tf.tensor([1, -1])).arraySync()); if (Math.abs(v[0] - 0.8413447) > 1e-5) throw new Error('gelu ' + v);`,
  layers: `await (await import('@attn/tensor')).initBackend({ backend: 'cpu' }); const l = new m.Linear({ inFeatures: 4, outFeatures: 2 }); if (l.numParameters() !== 10) throw new Error('Linear params ' + l.numParameters()); l.dispose();`,
  models: `await (await import('@attn/tensor')).initBackend({ backend: 'cpu' }); const c = m.BertConfig.preset('bert-tiny', { vocab_size: 100, num_hidden_layers: 1 }); const mod = m.createModel('sequence-classification', c); if (!(mod.numParameters() > 0)) throw new Error('no params'); mod.dispose();`,
  tokenizers: `const t = await m.Tokenizer.fromVocabFile(VOCAB, { lowercase: true }); const e = t.encode('Hello, world!'); if (e.tokens.join(' ') !== '[CLS] hello , world ! [SEP]') throw new Error(e.tokens.join(' ')); const p = (await import('node:path')).join((await import('node:os')).tmpdir(), 'attn-tok-' + process.pid + '.json'); await t.save(p); const back = await m.Tokenizer.fromFile(p); (await import('node:fs')).rmSync(p); if (back.encode('Hello, world!').ids.join() !== e.ids.join()) throw new Error('save');`,
  data: `const r = m.parseDelimited('sentence\\tlabel\\nit works \\t1\\n', { textColumn: 'sentence', labelColumn: 'label', file: 'inline.tsv' }); if (r.examples.length !== 1 || r.examples[0].text !== 'it works') throw new Error(JSON.stringify(r.examples));`,
  trainer: `const f = m.linearWithWarmup(5, 20); if (Math.abs(f(5) - 1) > 1e-12 || Math.abs(f(10) - 2 / 3) > 1e-12) throw new Error('lr ' + f(10));`,
  pipelines: `const { initBackend } = await import('@attn/tensor'); await initBackend({ backend: 'wasm' }); const { Tokenizer } = await import('@attn/tokenizers'); const { BertConfig, BertForSequenceClassification } = await import('@attn/models'); const tok = await Tokenizer.fromVocabFile(VOCAB, { lowercase: true }); const model = new BertForSequenceClassification(BertConfig.preset('bert-tiny', { num_hidden_layers: 1, id2label: { 0: 'neg', 1: 'pos' }, label2id: { neg: 0, pos: 1 } })); const p = new m.TextClassificationPipeline(model, tok); const [r] = p.predict(['a fine film']); if (!['neg', 'pos'].includes(r.label) || Math.abs(r.scores[0].score + r.scores[1].score - 1) > 1e-5) throw new Error(JSON.stringify(r)); p.dispose();`,
  'tensor-native': `const ok = typeof m.registerNativeKernels === 'function'; if (!ok) throw new Error('exports');`,
  serve: `const s = m.createServer({ task: 'echo', predictBatch: (xs) => xs.map((x) => x.text.length), info: () => ({}) }); const { url } = await s.listen(); const r = await (await fetch(url + '/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"abc"}' })).json(); await s.close(); if (r !== 3 || !url.startsWith('http://127.0.0.1:')) throw new Error(url + ' ' + JSON.stringify(r));`,
  cli: `const e = new m.CliError('bad flag'); if (e.name !== 'CliError' || !m.USER_FACING_ERRORS.has('DataError') || !m.isPreset('bert-tiny') || m.isPreset('x')) throw new Error('exports'); let err = ''; const w = process.stderr.write; process.stderr.write = (s) => ((err += s), true); await m.runCommand(async () => { throw e; }); process.stderr.write = w; if (err !== 'error: bad flag\\n' || process.exitCode !== 1) throw new Error(JSON.stringify(err)); process.exitCode = 0;`,
  tune: `const s = m.Study.open({ space: { x: { type: 'float', low: -1, high: 1 } }, sampler: 'tpe', seed: 0 }); await s.optimize((t) => t.params.x ** 2, { nTrials: 15 }); if (s.trials.length !== 15 || !(s.bestValue < 0.1)) throw new Error('tune ' + s.bestValue);`,
  onnx: `await (await import('@attn/tensor')).initBackend({ backend: 'cpu' }); const { BertConfig, createModel } = await import('@attn/models'); const mod = createModel('sequence-classification', BertConfig.preset('bert-tiny', { vocab_size: 100, num_hidden_layers: 1 })); const r = m.exportOnnx(mod, { opset: 17 }); mod.dispose(); if (r.outputNames.join() !== 'logits' || r.inputNames.join() !== 'input_ids,attention_mask,token_type_ids' || m.decodeModelProto(r.bytes).graph.node.length < 20) throw new Error(JSON.stringify(r.outputNames));`,
  metrics: `const r = m.accuracyScore([0, 1, 1], [0, 1, 0]); if (Math.abs(r - 2 / 3) > 1e-12) throw new Error('acc ' + r);`,
};

const packDir = mkdtempSync(join(tmpdir(), 'attn-pack-'));
const pkgs = readdirSync(join(root, 'packages')).filter((n) => existsSync(join(root, 'packages', n, 'package.json')));
const manifest = Object.fromEntries(pkgs.map((n) => [n, JSON.parse(readFileSync(join(root, 'packages', n, 'package.json'), 'utf8'))]));
// Packed as `pnpm run pack` packs them (tools/pack.mjs): pnpm rewrites workspace:^ ranges.
const tarball = packPackages(packDir, pkgs);
let failures = 0;
for (const n of pkgs) {
  const left = workspaceRanges(tarball[n]);
  if (left.length) {
    failures++;
    console.log(`FAIL @attn/${n}: its tarball's package.json still has ${left.join(', ')}; npm cannot install it`);
  }
  const models = modelFiles(tarball[n]);
  if (models.length) {
    failures++;
    console.log(`FAIL @attn/${n}: its tarball holds model files (${models.join(', ')}); the repository's models/ must not be published (CoNLL-2003-derived weights)`);
  }
}

function attnDeps(n, seen = new Set()) {
  for (const dep of Object.keys(manifest[n].dependencies ?? {})) {
    if (!dep.startsWith('@attn/')) continue;
    const short = dep.slice(6);
    if (!seen.has(short)) { seen.add(short); attnDeps(short, seen); }
  }
  return seen;
}

const vocab = join(root, 'fixtures', 'tokenizers', 'bert-base-uncased', 'vocab.txt');
for (const n of pkgs) {
  if (only.length && !only.includes(n)) continue;
  if (!smoke[n]) { console.log(`- @attn/${n}: no smoke call defined`); failures++; continue; }
  const dir = mkdtempSync(join(tmpdir(), `attn-install-${n}-`));
  const started = Date.now();
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${n}`, private: true, version: '0.0.0' }));
    const tars = [n, ...attnDeps(n)].map((p) => tarball[p]);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tars], { cwd: dir, stdio: 'inherit' });
    const body = `const VOCAB = ${JSON.stringify(vocab)};\n${smoke[n]}\nconsole.log('ok');`;
    writeFileSync(join(dir, 'esm.mjs'), `import * as m from '@attn/${n}';\n${body}\nprocess.exit(0);\n`);
    writeFileSync(join(dir, 'cjs.cjs'), `const m = require('@attn/${n}');\n(async () => {\n${body}\nprocess.exit(0);\n})().catch((e) => { console.error(e); process.exit(1); });\n`);
    for (const f of ['esm.mjs', 'cjs.cjs']) execFileSync(process.execPath, [f], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
    console.log(`ok   @attn/${n} (alone with ${[...attnDeps(n)].map((d) => '@attn/' + d).join(', ') || 'no other @attn package'}; ESM + CJS) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (e) {
    failures++;
    console.log(`FAIL @attn/${n}: ${String(e.stderr ?? e.message).slice(0, 2000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(packDir, { recursive: true, force: true });
console.log(failures ? `check-packages: ${failures} package(s) failed` : 'check-packages: every package installs and runs on its own');
process.exit(failures ? 1 : 0);
