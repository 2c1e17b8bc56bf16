import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, parseSafetensors } from '@attn/tensor';
import { Trainer } from '../trainer';
import { TINY_MODEL_CONFIG, lossRecorder as recorder } from '../../test/loss_recorder';
import { MemoryStore } from './memory_store';
import { JsonlLoggerCallback } from '../callbacks/jsonl_logger';
import { TinyClassifier } from '../../test/tiny_classifier';
import { tinyLoader } from '../../test/tiny_data';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const modelConfig = TINY_MODEL_CONFIG;

describe('MemoryStore', () => {
  it('files, directories, rename and remove behave like a small file system', async () => {
    const store = new MemoryStore();
    await store.writeFile('out/a/x.json', '{}');
    await store.makeDir('out/empty');
    expect((await store.list('out')).sort()).toEqual(['a', 'empty']);
    expect(new TextDecoder().decode(await store.readFile('out/a/x.json'))).toBe('{}');
    expect(await store.readFile('out/a/missing')).toBeUndefined();
    await store.rename('out/a', 'out/b');
    expect(await store.exists('out/a')).toBe(false);
    expect(await store.exists('out/b/x.json')).toBe(true);
    await store.remove('out/b');
    expect(await store.list('out')).toEqual(['empty']);
  });

  it('a Trainer with a memory store checkpoints, resumes exactly and saves the model without touching the disk', async () => {
    const outputDir = join(tmpdir(), `attn-memory-store-${Date.now()}`);
    const args = { outputDir, learningRate: 5e-2, warmupSteps: 2, maxSteps: 8, gradientAccumulationSteps: 2, loggingSteps: 3, seed: 11, saveTotalLimit: 2 };
    const whole = recorder();
    const a = new Trainer({ model: new TinyClassifier(modelConfig), args: { ...args, saveStrategy: 'no' }, trainDataLoader: tinyLoader({ n: 48, batchSize: 8, seed: 5 }), callbacks: [whole], store: new MemoryStore() });
    await a.train();

    const store = new MemoryStore();
    const first = recorder();
    const b = new Trainer({
      model: new TinyClassifier(modelConfig),
      args: { ...args, saveStrategy: 'steps', saveSteps: 2 },
      trainDataLoader: tinyLoader({ n: 48, batchSize: 8, seed: 5 }),
      callbacks: [first, { onSave: (ctx) => void (ctx.state.globalStep === 4 && (ctx.control.shouldStop = true)) }],
      store,
    });
    await b.train();
    expect(first.losses).toHaveLength(4);
    expect((await store.list(outputDir)).sort()).toEqual(['checkpoint-2', 'checkpoint-4']);
    const second = recorder();
    const c = new Trainer({ model: new TinyClassifier({ ...modelConfig, seed: 99 }), args: { ...args, saveStrategy: 'no' }, trainDataLoader: tinyLoader({ n: 48, batchSize: 8, seed: 5 }), callbacks: [second], store });
    await c.train({ resumeFromCheckpoint: true });
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);

    await c.saveModel();
    const weights = parseSafetensors((await store.readFile(`${outputDir}/model.safetensors`))!, 'memory');
    expect(Object.keys(weights)).toContain('classifier.weight');
    Object.values(weights).forEach((t) => t.dispose());
    // Nothing was written to the filesystem: outputDir is only a name in the store.
    expect(existsSync(outputDir)).toBe(false);
    [a, b, c].forEach((t) => t.dispose());
  });

  it('JsonlLoggerCallback writes log.jsonl into the store (a browser has no disk)', async () => {
    const outputDir = join(tmpdir(), `attn-memory-log-${Date.now()}`);
    const store = new MemoryStore();
    const logger = new JsonlLoggerCallback();
    const t = new Trainer({ model: new TinyClassifier(modelConfig), args: { outputDir, maxSteps: 4, loggingSteps: 2, saveStrategy: 'no' }, trainDataLoader: tinyLoader({ n: 32, batchSize: 8, seed: 5 }), callbacks: [logger], store });
    await t.train();
    await logger.flushed();
    const lines = new TextDecoder().decode(await store.readFile(`${outputDir}/log.jsonl`)).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([2, 4, 4]);
    expect(lines[0].loss).toBeGreaterThan(0);
    expect(lines[2].train_runtime).toBeGreaterThan(0);
    expect(existsSync(outputDir)).toBe(false);
    t.dispose();
  });
});
