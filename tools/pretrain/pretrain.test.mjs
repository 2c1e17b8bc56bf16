// End-to-end checks of pretrain.mjs on a tiny slice (node:test; ~1 min on a busy 2-core machine):
//   node --test tools/pretrain/pretrain.test.mjs
// 1. a run resumed from checkpoint-3 logs bit-identical losses to the uninterrupted run;
// 2. --export writes an HF directory that loadModel reads back as BertForMaskedLM, whose held-out
//    numbers equal --eval-only's on the same checkpoint; tokenizer.json loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const script = join(here, 'pretrain.mjs');
const tiny = ['--max-books', '1', '--max-segments', '64', '--batch-size', '8', '--max-steps', '6', '--save-steps', '3',
  '--logging-steps', '1', '--eval-steps', '3', '--eval-segments', '16', '--warmup-steps', '2'];
const run = (dir, extra = []) => execFileSync('node', [script, '--output-dir', dir, ...tiny, ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const losses = (dir) => readFileSync(join(dir, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  .filter((e) => typeof e.loss === 'number' && e.step >= 1 && e.train_loss === undefined).map((e) => [e.step, e.loss]);

const work = mkdtempSync(join(tmpdir(), 'attn-pretrain-test-'));
test('resume from a checkpoint continues bit-identically, and the export loads back', async () => {
  try {
    const a = join(work, 'a', 'run');
    run(a);
    const full = losses(a);
    assert.deepEqual(full.map(([s]) => s), [1, 2, 3, 4, 5, 6]);
    assert.ok(full[5][1] < full[0][1], `the loss should fall over 6 steps: ${JSON.stringify(full)}`);

    const b = join(work, 'b', 'run');
    cpSync(a, b, { recursive: true });
    rmSync(join(b, 'checkpoint-6'), { recursive: true });
    const out = run(b);
    assert.match(out, /resuming from .*checkpoint-3/);
    assert.deepEqual(losses(b), full);

    const exported = join(work, 'model');
    run(a, ['--export', exported]);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.txt', 'pretrain_metrics.json']) assert.ok(existsSync(join(exported, f)), f);
    const config = JSON.parse(readFileSync(join(exported, 'config.json'), 'utf8'));
    assert.deepEqual(config.architectures, ['BertForMaskedLM']);
    const metrics = JSON.parse(readFileSync(join(exported, 'pretrain_metrics.json'), 'utf8'));
    assert.equal(metrics.global_step, 6);
    const evalOnly = JSON.parse(run(a, ['--eval-only']).trim().split('\n').at(-1));
    assert.equal(evalOnly.eval_mlm_loss, metrics.eval_mlm_loss);

    const { initBackend } = await import(join(root, 'packages/tensor/dist/index.js'));
    const { loadModel } = await import(join(root, 'packages/models/dist/index.js'));
    const { Tokenizer } = await import(join(root, 'packages/tokenizers/dist/index.js'));
    await initBackend({ backend: 'wasm' });
    const model = await loadModel(exported);
    assert.equal(model.constructor.name, 'BertForMaskedLM');
    const tok = await Tokenizer.fromFile(join(exported, 'tokenizer.json'));
    assert.deepEqual(tok.encode('Hello world').tokens, ['[CLS]', 'hello', 'world', '[SEP]']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('--whole-word-mask trains on word-level masks (word ids from the "##" continuation pieces)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attn-pretrain-wwm-'));
  try {
    const a = join(dir, 'token', 'run');
    const b = join(dir, 'wwm', 'run');
    run(a, ['--max-steps', '2']);
    run(b, ['--max-steps', '2', '--whole-word-mask']);
    const [la, lb] = [losses(a), losses(b)];
    assert.equal(lb.length, 2);
    assert.ok(lb.every(([, l]) => Number.isFinite(l) && l > 0), JSON.stringify(lb));
    assert.notDeepEqual(lb, la, 'whole-word masks must differ from token masks');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
