// Acceptance: a small BERT (1 layer, hidden 32, the 30,522-word bert-base-uncased vocabulary),
// initialised from scratch and trained by the Trainer on 1,000 real SST-2 training lines for
// 64 updates; the loss on 200 SST-2 dev sentences falls. Evaluation every 8 updates with
// loadBestModelAtEnd (a from-scratch model on 1,000 lines soon overfits), so this also runs
// real BERT checkpoints, rotation and best-model reloading.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@attn/tensor';
import { BertConfig, createModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { ArrayDataset, DataLoader, LabelMap, classificationCollator, prepareClassificationFeatures, readDelimited } from '@attn/data';
import { JsonlLoggerCallback, Trainer, type EvalPrediction } from '../src/index';

const repo = join(__dirname, '../../..');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function accuracy({ predictions, labelIds }: EvalPrediction): Record<string, number> {
  const logits = predictions.logits!;
  const labels = labelIds.labels!.data;
  let right = 0;
  for (let i = 0; i < labels.length; i++) right += (logits.data[2 * i + 1]! > logits.data[2 * i]! ? 1 : 0) === labels[i] ? 1 : 0;
  return { accuracy: right / labels.length };
}

describe('SST-2 with a small BERT', () => {
  it('dev loss falls within 64 updates', async () => {
    const tokenizer = await Tokenizer.fromFile(join(repo, 'fixtures/tokenizers/bert-base-uncased/tokenizer.json'));
    const labelMap = LabelMap.fromLabels(['0', '1']);
    const read = (path: string) => readDelimited(path, { textColumn: 'sentence', labelColumn: 'label', labels: ['0', '1'] });
    const train = await read(join(__dirname, 'fixtures/sst2-train-1000.tsv'));
    const dev = await read(join(repo, 'fixtures/data/sst2-dev-200.tsv'));
    expect(train.examples.length).toBe(1000);
    expect(dev.examples.length).toBe(200);
    const features = (ex: typeof train.examples) => prepareClassificationFeatures(tokenizer, ex, { labelMap, maxLength: 48 });
    const collate = classificationCollator({ padTokenId: tokenizer.padTokenId ?? 0 });

    const config = BertConfig.fromJSON({
      vocab_size: tokenizer.getVocabSize(), hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2,
      intermediate_size: 64, max_position_embeddings: 64, num_labels: 2,
    });
    const model = createModel('sequence-classification', config, { seed: 0 });
    const outputDir = mkdtempSync(join(tmpdir(), 'attn-sst2-'));
    const trainer = new Trainer({
      model,
      args: {
        outputDir, learningRate: 3e-3, weightDecay: 0.01, lrSchedulerType: 'constant_with_warmup', warmupRatio: 0.1,
        maxSteps: 64, loggingSteps: 8, evalStrategy: 'steps', evalSteps: 8, saveStrategy: 'steps', saveSteps: 8,
        saveTotalLimit: 1, loadBestModelAtEnd: true, seed: 0,
      },
      trainDataLoader: new DataLoader(new ArrayDataset(features(train.examples)), { batchSize: 32, shuffle: true, seed: 0, collate }),
      evalDataLoader: new DataLoader(new ArrayDataset(features(dev.examples)), { batchSize: 50, collate }),
      computeMetrics: accuracy,
      callbacks: [new JsonlLoggerCallback()],
    });
    const before = await trainer.evaluate();
    const started = performance.now();
    const out = await trainer.train();
    const seconds = (performance.now() - started) / 1000;
    const after = await trainer.evaluate();
    const curve = trainer.state.logHistory.filter((l) => 'eval_loss' in l).map((l) => `${l.step}:${Number(l.eval_loss).toFixed(3)}`);
    console.log(
      `SST-2 L1/H32: dev loss ${before.eval_loss!.toFixed(4)} -> ${after.eval_loss!.toFixed(4)} (best, step ${trainer.state.bestGlobalStep}), ` +
        `dev accuracy ${before.eval_accuracy!.toFixed(3)} -> ${after.eval_accuracy!.toFixed(3)}, ` +
        `${out.globalStep} updates in ${seconds.toFixed(1)} s incl. evaluations (${out.metrics.train_samples_per_second!.toFixed(0)} ex/s); dev loss curve ${curve.join(' ')}`,
    );
    expect(out.globalStep).toBe(64);
    expect(after.eval_loss!).toBeLessThan(before.eval_loss! - 0.02);
    // The reloaded best checkpoint reproduces its recorded metric.
    expect(after.eval_loss!).toBeCloseTo(trainer.state.bestMetric!, 5);
    const kept = readdirSync(outputDir).filter((n) => n.startsWith('checkpoint-'));
    expect(kept).toContain(`checkpoint-${trainer.state.bestGlobalStep}`);
    expect(kept.length).toBeLessThanOrEqual(2);
    const log = readFileSync(join(outputDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.filter((l) => 'eval_loss' in l).length).toBe(10); // before, 8 during training, after
    trainer.dispose();
    model.dispose();
  });
});
