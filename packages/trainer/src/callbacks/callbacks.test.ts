import { beforeAll, describe, expect, it } from 'vitest';


import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { initBackend, tf } from '@attn/tensor';
import { Trainer } from '../trainer';
import { EarlyStoppingCallback } from './early_stopping';
import { JsonlLoggerCallback } from './jsonl_logger';
import { ProgressCallback } from './progress';
import { TinyClassifier } from '../../test/tiny_classifier';
import { tinyLoader } from '../../test/tiny_data';
import type { CallbackContext } from './callback';
import { resolveTrainingArguments } from '../training_arguments';
import { initialTrainerState } from '../trainer_state';
import { freshControl } from './callback';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const cfg = { vocabSize: 50, hidden: 16, numLabels: 2, dropout: 0, seed: 3 };

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY: boolean; text: () => string; columns: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean };
  w.isTTY = isTTY;
  w.columns = 120;
  w.cursorTo = () => true;
  w.clearLine = () => true;
  w.moveCursor = () => true;
  w.text = () => chunks.join('');
  return w;
}

describe('EarlyStoppingCallback', () => {
  function ctxWith(metric: number, step: number, model: TinyClassifier): CallbackContext {
    const state = { ...initialTrainerState(), globalStep: step };
    return { args: resolveTrainingArguments({ outputDir: '/tmp/x' }), state, control: freshControl(), model, metrics: { eval_loss: metric } };
  }

  it('stops after `patience` evaluations without an improvement larger than threshold, and restores the best weights', () => {
    const model = new TinyClassifier(cfg);
    const w = model.namedParameters()[4]![1];
    const cb = new EarlyStoppingCallback({ patience: 2, threshold: 0.01 });
    cb.onTrainBegin();
    w.assign(tf.tensor([1, 1]));
    let c = ctxWith(1.0, 1, model);
    cb.onEvaluate(c);
    expect(c.control.shouldStop).toBe(false);
    w.assign(tf.tensor([2, 2]));
    c = ctxWith(0.8, 2, model); // improved
    cb.onEvaluate(c);
    w.assign(tf.tensor([3, 3]));
    c = ctxWith(0.795, 3, model); // within threshold: not an improvement
    cb.onEvaluate(c);
    expect(c.control.shouldStop).toBe(false);
    expect(cb.wait).toBe(1);
    c = ctxWith(0.9, 4, model);
    cb.onEvaluate(c);
    expect(c.control.shouldStop).toBe(true);
    expect(cb.bestStep).toBe(2);
    const before = tf.memory().numTensors;
    cb.onTrainEnd(c);
    expect([...w.dataSync()]).toEqual([2, 2]);
    expect(tf.memory().numTensors).toBeLessThan(before);
    model.dispose();
  });

  it('greater-is-better metrics and a clear error for a missing metric', () => {
    const model = new TinyClassifier(cfg);
    const cb = new EarlyStoppingCallback({ metric: 'accuracy', patience: 1, restoreBest: false });
    const c1 = { ...ctxWith(0, 1, model), metrics: { eval_accuracy: 0.5 } };
    cb.onEvaluate(c1);
    const c2 = { ...ctxWith(0, 2, model), metrics: { eval_accuracy: 0.4 } };
    cb.onEvaluate(c2);
    expect(c2.control.shouldStop).toBe(true);
    expect(() => cb.onEvaluate({ ...ctxWith(0, 3, model), metrics: { eval_loss: 1 } })).toThrow(/eval_accuracy.*eval_loss/);
    model.dispose();
  });

  it('stops a Trainer run early', async () => {
    const model = new TinyClassifier(cfg);
    const t = new Trainer({
      model,
      // lr 0 never improves the loss: stops after 1 + patience evaluations.
      args: { outputDir: mkdtempSync(join(tmpdir(), 'attn-es-')), learningRate: 0, maxSteps: 50, evalStrategy: 'steps', evalSteps: 2, saveStrategy: 'no' },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 1 }),
      evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
      callbacks: [new EarlyStoppingCallback({ patience: 2 })],
    });
    await t.train();
    expect(t.state.globalStep).toBe(6);
    t.dispose();
    model.dispose();
  });
});

describe('JsonlLoggerCallback and ProgressCallback', () => {
  it('log.jsonl has every logged step and evaluation; plain lines off a TTY; a bar on a TTY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-log-'));
    const plain = sink(false);
    const tty = sink(true);
    const model = new TinyClassifier(cfg);
    const t = new Trainer({
      model,
      args: { outputDir: dir, learningRate: 0.05, maxSteps: 8, loggingSteps: 2, evalStrategy: 'steps', evalSteps: 4, saveStrategy: 'no' },
      trainDataLoader: tinyLoader({ n: 64, batchSize: 8, seed: 1 }),
      evalDataLoader: tinyLoader({ n: 16, batchSize: 8, seed: 1, shuffle: false }),
      callbacks: [new JsonlLoggerCallback(), new ProgressCallback({ stream: plain }), new ProgressCallback({ stream: tty })],
    });
    await t.train();
    const lines = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => 'loss' in l).map((l) => l.step)).toEqual([2, 4, 6, 8]);
    expect(lines.filter((l) => 'eval_loss' in l).map((l) => l.step)).toEqual([4, 8]);
    expect(lines.at(-1)).toHaveProperty('train_runtime');
    const text = plain.text();
    expect(text.split('\n').filter((l) => l.startsWith('step ')).length).toBe(6);
    expect(text).toMatch(/step 2\/8 \| epoch [\d.]+ \| loss [\d.]+ \| learning_rate [\d.e-]+ .*ex\/s \| ETA/);
    expect(tty.text()).toMatch(/8\/8 \| loss [\d.]+ \| lr [\d.e+-]+ \| [\d.]+ ex\/s \| ETA/);
    t.dispose();
    model.dispose();
  });
});

describe('JsonlLoggerCallback on resume', () => {
  it("drops lines the crashed run logged after the checkpoint's step, and torn lines", () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-log2-'));
    const file = join(dir, 'log.jsonl');
    const lines = [1, 2, 3, 4].map((step) => JSON.stringify({ loss: 1 / step, step }));
    writeFileSync(file, lines.join('\n') + '\n{"loss": 0.1, "st');
    const model = new TinyClassifier(cfg);
    const state = { ...initialTrainerState(), globalStep: 2 };
    const ctx: CallbackContext = { args: resolveTrainingArguments({ outputDir: dir }), state, control: freshControl(), model };
    new JsonlLoggerCallback().onTrainBegin(ctx);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2]);
    model.dispose();
  });
});
