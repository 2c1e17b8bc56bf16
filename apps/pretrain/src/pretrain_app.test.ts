// attn-pretrain's CI smoke test: vocabulary training, 20 MLM steps on the fixture corpus, exact resume, an
// export that loadModel reads, the same for a causal LM, and tensor counts that do not grow.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@attn/tensor';
import { auditDurableWrites } from '@attn/tensor/testing';
import { BertConfig, BertForMaskedLM, createModel, loadModel } from '@attn/models';
import { MlmCollator } from '@attn/data';
import { Tokenizer } from '@attn/tokenizers';
import { CliError, TrainingInterruptedError } from '@attn/cli';
import { vocabCommand } from './commands/vocab';
import { plotCommand } from './commands/plot';
import { trainCommand } from './commands/train';
import { evalCommand, exportCommand } from './commands/export';
import { maskedPositionsLoss } from './masked_lm_loss';
import { COLLATOR_STATE_FILE } from './collator_state';
import { tilePositions } from './pretrain_model';
import type { PretrainFlags } from './pretrain_flags';
import { openTokenizer } from './tokenizer_source';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-fixtures', 'corpus');
const quiet = () => undefined;
let tmp = '';
let tokenizerFile = '';

// A BERT smaller than bert-tiny keeps the test fast; the code path is the same.
const MICRO_BERT = JSON.stringify({ model_type: 'bert', num_hidden_layers: 2, hidden_size: 32, num_attention_heads: 2, intermediate_size: 64 });
const BACKEND = (process.env['PRETRAIN_TEST_BACKEND'] ?? 'wasm') as 'cpu' | 'wasm';
const tiny = (outputDir: string, more: PretrainFlags = {}): PretrainFlags => ({
  outputDir, corpus: CORPUS, tokenizer: tokenizerFile, backend: BACKEND, config: MICRO_BERT, seqLen: '32', batchSize: '8', maxSteps: '20', saveSteps: '10',
  loggingSteps: '1', evalSteps: '10', evalSegments: '8', warmupSteps: '2', lr: '2e-3', ...more,
});
const losses = (dir: string) =>
  readFileSync(join(dir, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number>)
    .filter((e) => typeof e['loss'] === 'number' && e['train_loss'] === undefined).map((e) => [e['step'], e['loss']]);

beforeAll(async () => {
  await initBackend({ backend: BACKEND });
  tmp = mkdtempSync(join(tmpdir(), 'attn-pretrain-'));
  await vocabCommand({ out: join(tmp, 'vocab'), corpus: CORPUS, vocabSize: '400' }, { corpus: CORPUS }, quiet);
  tokenizerFile = join(tmp, 'vocab', 'tokenizer.json');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('attn-pretrain', () => {
  it('vocab trains a WordPiece vocabulary on the books but the held-out one', async () => {
    const vocab = readFileSync(join(tmp, 'vocab', 'vocab.txt'), 'utf8').split('\n');
    expect(vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(vocab.filter(Boolean).length).toBe(400);
    const tok = await Tokenizer.fromFile(tokenizerFile);
    expect(tok.encode('Elizabeth').tokens[0]).toBe('[CLS]');
  });

  it('MLM: 20 steps, a resume from checkpoint-10 logs the same losses, the export loads back; no tensor leaks', async () => {
    const a = join(tmp, 'mlm', 'run');
    const before = tf.memory().numTensors;
    const out = await trainCommand(tiny(a, { dropout: '0.1' }), quiet);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.globalStep).toBe(20);
    const full = losses(a);
    expect(full.map(([s]) => s)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(full[19]![1]!).toBeLessThan(full[0]![1]!);
    const evals = readFileSync(join(a, 'eval.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(evals.map((e) => e['step'])).toEqual([0, 10, 20]);
    expect(evals[2]!['eval_mlm_loss']).toBeLessThan(evals[0]!['eval_mlm_loss']!);
    expect(existsSync(join(a, 'checkpoint-10', 'mlm_collator_state.json'))).toBe(true);

    // Resume: the same command on a copy without checkpoint-20 continues from checkpoint-10 bit for bit.
    const b = join(tmp, 'mlm-resumed', 'run');
    cpSync(a, b, { recursive: true });
    rmSync(join(b, 'checkpoint-20'), { recursive: true });
    const resumed = await trainCommand(tiny(b, { dropout: '0.1' }), quiet);
    expect(resumed.resumedFrom).toMatch(/checkpoint-10$/);
    expect(losses(b)).toEqual(full);
    expect(tf.memory().numTensors).toBe(before);

    let plotted = '';
    let svgs: string[] = [];
    const plotAudit = await auditDurableWrites(join(tmp, 'svg'), async () => (svgs = await plotCommand({ outputDir: b, svgDir: join(tmp, 'svg'), batchSize: '8', seqLen: '32' }, (line) => void (plotted = line))));
    expect(plotAudit.notDurable).toEqual([]);
    expect(plotted).toMatch(/\(20 train points, 3 eval points\)/); // the resumed steps 11-20 logged twice, plotted once
    expect(svgs.map((f) => f.split('/').pop())).toEqual(['pretrain-loss.svg', 'pretrain-accuracy.svg']);
    expect(readFileSync(svgs[0]!, 'utf8')).toMatch(/^<svg[\s\S]*held-out loss/);

    // A torn collator state on resume: a one-line error naming the file, before any step.
    writeFileSync(join(b, 'checkpoint-20', COLLATOR_STATE_FILE), '[1234, 56');
    const torn = await trainCommand(tiny(b, { dropout: '0.1' }), quiet).catch((e: unknown) => e);
    expect(torn).toBeInstanceOf(CliError);
    expect((torn as Error).message).toMatch(/checkpoint-20\/mlm_collator_state\.json: not JSON \([^\n]*delete the file/);
    expect(tf.memory().numTensors).toBe(before);

    // Ctrl-C at update 5: a checkpoint after the current update, with the collator state; the same command resumes from it.
    // Every file of the run is durable (checkpoint, collator state, segment cache) but the appended logs.
    const c = join(tmp, 'mlm-interrupted', 'run');
    const interrupt = (line: string) => void (line.includes(' step 5/') && process.emit('SIGINT'));
    let stopped: unknown;
    const audit = await auditDurableWrites(dirname(c), async () => (stopped = await trainCommand(tiny(c, { dropout: '0.1' }), interrupt).catch((e: unknown) => e)));
    expect(stopped).toBeInstanceOf(TrainingInterruptedError);
    const saved = (stopped as TrainingInterruptedError).checkpointDir;
    expect(saved).toMatch(/checkpoint-[56]$/);
    expect(existsSync(join(saved, 'mlm_collator_state.json'))).toBe(true);
    const savedName = saved.split('/').pop()!;
    expect(audit.files).toEqual(expect.arrayContaining([`run/${savedName}/${COLLATOR_STATE_FILE}`, `run/${savedName}/model.safetensors`, 'run/log.jsonl', 'run/eval.jsonl']));
    expect(audit.files.filter((f) => !f.startsWith('run/')).length).toBeGreaterThan(0); // the segment cache beside the run
    expect(audit.notDurable).toEqual([
      'run/eval.jsonl: content never flushed (fsync) before it was put in place',
      'run/log.jsonl: content never flushed (fsync) before it was put in place',
    ]);
    expect((await trainCommand(tiny(c, { dropout: '0.1' }), quiet)).resumedFrom).toBe(saved);
    expect(losses(c)).toEqual(full);
    expect(tf.memory().numTensors).toBe(before);

    const dir = join(tmp, 'mlm-model');
    let summary: Record<string, unknown> = {};
    const exportAudit = await auditDurableWrites(dir, async () => (summary = await exportCommand(dir, tiny(a), quiet)));
    expect(exportAudit.notDurable).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'pretrain_metrics.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(summary['global_step']).toBe(20);
    const model = await loadModel(dir);
    expect(model).toBeInstanceOf(BertForMaskedLM);
    expect(model.config.toJSON()['hidden_dropout_prob']).toBe(0.1);
    model.dispose();
    let line = '';
    await evalCommand(tiny(a), (s) => void (line = s));
    expect(JSON.parse(line)['eval_mlm_loss']).toBe(summary['eval_mlm_loss']);
    expect((summary['fill_mask'] as unknown[]).length).toBe(4);
  });

  it('--init-from + --tile-positions: a 64-token phase starts from the 32-token run\'s weights, positions tiled', async () => {
    const phase2 = join(tmp, 'phase2', 'run');
    const fresh = join(tmp, 'phase2-fresh', 'run');
    const flags = { seqLen: '64', maxSteps: '2', dropout: '0' };
    await trainCommand(tiny(phase2, { ...flags, initFrom: join(tmp, 'mlm', 'run', 'checkpoint-20'), tilePositions: '32' }), quiet);
    await trainCommand(tiny(fresh, flags), quiet);
    const step0 = (dir: string) => (JSON.parse(readFileSync(join(dir, 'eval.jsonl'), 'utf8').split('\n')[0]!) as Record<string, number>)['eval_mlm_loss']!;
    expect(step0(phase2)).toBeLessThan(step0(fresh) - 0.1);
  });

  it('--whole-word-mask draws word-level masks', async () => {
    const a = join(tmp, 'wwm', 'run');
    const b = join(tmp, 'wwm-token', 'run');
    await trainCommand(tiny(a, { maxSteps: '2', wholeWordMask: true, dropout: '0' }), quiet);
    await trainCommand(tiny(b, { maxSteps: '2', dropout: '0' }), quiet);
    expect(losses(a)).toHaveLength(2);
    expect(losses(a)).not.toEqual(losses(b));
  });

  it('CLM: --objective clm --config <json> pretrains a GPT-2 with the same code path; the export loads as GPT2LMHeadModel', async () => {
    const a = join(tmp, 'clm', 'run');
    const before = tf.memory().numTensors;
    const config = JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_embd: 32, n_head: 2, n_positions: 64 });
    await trainCommand(tiny(a, { objective: 'clm', config }), quiet);
    expect(tf.memory().numTensors).toBe(before);
    const full = losses(a);
    expect(full).toHaveLength(20);
    expect(full[19]![1]!).toBeLessThan(full[0]![1]!);
    const dir = join(tmp, 'clm-model');
    const summary = await exportCommand(dir, tiny(a, { objective: 'clm', config }), quiet);
    expect(summary['eval_perplexity']).toBeGreaterThan(1);
    const model = await loadModel(dir);
    expect(model.constructor.name).toBe('GPT2LMHeadModel');
    model.dispose();
  });

  it('the masked-positions loss equals BertForMaskedLM.forward\'s loss', () => {
    const model = createModel('masked-lm', BertConfig.preset('bert-tiny', { vocab_size: 100 }), { seed: 3 }) as BertForMaskedLM;
    model.eval();
    const collator = new MlmCollator({ maskTokenId: 4, padTokenId: 0, vocabSize: 100, seed: 1 });
    const batch = collator.collate(Array.from({ length: 4 }, (_, i) => ({ inputIds: [2, ...Array.from({ length: 14 }, (_, j) => 5 + ((i * 7 + j * 3) % 90)), 3], specialTokensMask: [1, ...Array<number>(14).fill(0), 1] })));
    const before = tf.memory().numTensors;
    const [mine, full] = tf.tidy(() => {
      const inputs = batch;
      return [maskedPositionsLoss(model)(model, inputs, false) as tf.Scalar, model.forward(inputs).loss!].map((t) => t.dataSync()[0]!);
    });
    expect(mine).toBeCloseTo(full!, 5);
    expect(tf.memory().numTensors).toBe(before);
    for (const t of Object.values(batch)) t.dispose();
    model.dispose();
  });

  it('--tile-positions copies the trained content positions 1..n-2 over the longer positions', () => {
    const model = createModel('masked-lm', BertConfig.preset('bert-tiny', { vocab_size: 50, max_position_embeddings: 20 }), { seed: 1 });
    expect(tilePositions(model, 6, 'mlm')).toEqual([5, 19]);
    const rows = (model as BertForMaskedLM).bert.embeddings.position_embeddings.weight.arraySync() as number[][];
    expect(rows[5]).toEqual(rows[1]);
    expect(rows[8]).toEqual(rows[4]);
    expect(rows[9]).toEqual(rows[1]);
    expect(rows[0]).not.toEqual(rows[1]);
    model.dispose();
  });

  it('--tokenizer takes a tokenizer.json, or a directory with tokenizer.json or vocab.json + merges.txt (GPT-2)', async () => {
    const gpt2 = join(CORPUS, '..', '..', '..', '..', 'fixtures', 'tokenizers', 'gpt2');
    const bpe = await openTokenizer({ tokenizer: gpt2, vocab: '', cased: false });
    expect(bpe.tokenizer.getVocabSize()).toBe(50257);
    expect(bpe.files.map((f) => f.split('/').pop())).toEqual(['vocab.json', 'merges.txt']);
    expect((await openTokenizer({ tokenizer: join(tmp, 'vocab'), vocab: '', cased: false })).files).toEqual([tokenizerFile]);
    await expect(openTokenizer({ tokenizer: CORPUS, vocab: '', cased: false })).rejects.toThrow(/neither tokenizer.json nor vocab.json \+ merges.txt/);
  });

  it('bad flags are one-line errors naming the flag', async () => {
    const dir = join(tmp, 'bad');
    await expect(trainCommand(tiny(dir, { objective: 'mlmx' }), quiet)).rejects.toThrow(/--objective must be mlm or clm/);
    await expect(trainCommand(tiny(dir, { tilePositions: '32' }), quiet)).rejects.toThrow(/--tile-positions needs --init-from/);
    await expect(trainCommand(tiny(dir, { objective: 'clm', config: undefined }), quiet)).rejects.toThrow(/--objective clm needs --config/);
    await expect(trainCommand(tiny(dir, { corpus: join(tmp, 'nowhere') }), quiet)).rejects.toThrow(CliError);
    await expect(exportCommand(join(tmp, 'x'), tiny(join(tmp, 'empty')), quiet)).rejects.toThrow(/no checkpoint-<step> directory/);
  });
});
