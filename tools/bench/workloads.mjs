// The batches every side of tools/bench/train.mjs and infer.mjs runs, decided once by the parent and
// written to a plan file, so attn, PyTorch and onnxruntime see exactly the same token ids:
//   fixed         batch 32 × 128 random ids, attention mask all ones (the classic synthetic figure)
//   sst2          the first 2,048 SST-2 training sentences in file order, batches of 32, each padded
//                 to its own longest sentence (dynamic padding, as the classify app trains)
//   sst2-grouped  the same sentences through @attn/data's DataLoader with groupByLength (HF's
//                 LengthGroupedSampler: shuffled, sorted by length within mega-batches)
// SST-2 is tokenized by @attn/tokenizers (bert-base-uncased vocab.txt, lowercase); the Python side
// tokenizes the same texts with HF's tokenizer.json and reports any id that differs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importAttn, repoRoot } from './attn_runtime.mjs';

export const WORKLOADS = ['fixed', 'sst2', 'sst2-grouped'];
export const BATCH_SIZE = 32;
const FIXED_SEQ = 128;
const SST2_SENTENCES = 2048;
const MAX_LENGTH = 128;
const VOCAB_SIZE = 30522;

export class WorkloadError extends Error {
  name = 'WorkloadError';
}

/** The SST-2 training file: ../shared/data beside the repo (as in CI), else /work/shared/data. */
export function sst2Path() {
  const candidates = [join(repoRoot, '..', 'shared', 'data', 'sst2', 'train.tsv'), '/work/shared/data/sst2/train.tsv'];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new WorkloadError(`SST-2 not found (looked in ${candidates.join(', ')}); run with --workload fixed, or put shared/data beside the repo.`);
  return found;
}

export const VOCAB_TXT = join(repoRoot, 'fixtures', 'tokenizers', 'bert-base-uncased', 'vocab.txt');
export const TOKENIZER_JSON = join(repoRoot, 'fixtures', 'tokenizers', 'bert-base-uncased', 'tokenizer.json');

/** Header skipped; text is everything before the last TAB, trimmed; label after it. */
function readSst2(limit) {
  const path = sst2Path();
  const lines = readFileSync(path, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  return lines.slice(0, limit).map((line, i) => {
    const tab = line.lastIndexOf('\t');
    if (tab < 0) throw new WorkloadError(`${path}:${i + 2}: no TAB between sentence and label.`);
    return { text: line.slice(0, tab).trim(), label: line.slice(tab + 1).trim() };
  });
}

/** Deterministic ids for the fixed workload (xorshift32), so both sides can be handed the same batch. */
function fixedBatch(seed = 1) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  const ids = Array.from({ length: BATCH_SIZE }, () => Array.from({ length: FIXED_SEQ }, () => 1000 + (next() % (VOCAB_SIZE - 1000))));
  return { ids, labels: Array.from({ length: BATCH_SIZE }, (_, i) => i % 2) };
}

/** `count` batch positions spread evenly over an epoch of `total` batches (all of them when count ≥ total). */
function spread(total, count) {
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * total) / count));
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * Builds the plan: per workload the distinct batches (`batches`), the order they run in (`order`;
 * the first `warmup` entries are warm-up steps, excluded from timing) and how to turn step times into
 * sequences/s (`timing`: median step for fixed, total sequences / total time for the SST-2 ones,
 * whose batches differ in length).
 */
export async function buildPlan({ workloads, steps, warmup }) {
  for (const w of workloads) if (!WORKLOADS.includes(w)) throw new WorkloadError(`--workload ${w}: unknown; known: ${WORKLOADS.join(', ')}.`);
  const plan = { batchSize: BATCH_SIZE, maxLength: MAX_LENGTH, warmup, workloads: {} };
  if (workloads.includes('fixed')) {
    plan.workloads.fixed = {
      description: `batch ${BATCH_SIZE} × seq ${FIXED_SEQ}, random ids, mask all ones`,
      timing: 'median',
      batches: [fixedBatch()],
      order: Array.from({ length: warmup + steps }, () => 0),
      meanPaddedLength: FIXED_SEQ,
      epochMeanPaddedLength: FIXED_SEQ,
    };
  }
  const sst2Names = workloads.filter((w) => w.startsWith('sst2'));
  if (sst2Names.length === 0) return plan;

  const { Tokenizer } = await importAttn('tokenizers');
  const { ArrayDataset, DataLoader, LabelMap, prepareClassificationFeatures } = await importAttn('data');
  const examples = readSst2(SST2_SENTENCES);
  const tokenizer = await Tokenizer.fromVocabFile(VOCAB_TXT, { lowercase: true });
  const labelMap = LabelMap.fromData(examples.map((e) => e.label));
  const features = prepareClassificationFeatures(tokenizer, examples, { labelMap, maxLength: MAX_LENGTH });
  const dataset = new ArrayDataset(features);
  // The collator is never called here: batchIndices() only decides which sentences go together.
  const loaders = {
    sst2: new DataLoader(dataset, { batchSize: BATCH_SIZE, collate: () => ({}) }),
    'sst2-grouped': new DataLoader(dataset, { batchSize: BATCH_SIZE, shuffle: true, seed: 42, groupByLength: true, collate: () => ({}) }),
  };
  for (const name of sst2Names) {
    const epoch = loaders[name].batchIndices();
    const padded = (idx) => Math.max(...idx.map((i) => features[i].inputIds.length));
    const picked = spread(epoch.length, steps).map((k) => epoch[k]);
    const batches = picked.map((idx) => ({
      ids: idx.map((i) => features[i].inputIds),
      labels: idx.map((i) => features[i].label),
      texts: idx.map((i) => examples[i].text),
    }));
    // Warm up on the longest picked batch so the wasm heap has grown to its largest before timing.
    let longest = 0;
    picked.forEach((idx, k) => { if (padded(idx) > padded(picked[longest])) longest = k; });
    plan.workloads[name] = {
      description: `first ${examples.length} SST-2 train sentences${name === 'sst2' ? ' in file order' : ', DataLoader groupByLength (seed 42)'}, batches of ${BATCH_SIZE} padded to their longest; ${picked.length} of ${epoch.length} batches`,
      timing: 'total',
      batches,
      order: [...Array.from({ length: warmup }, () => longest), ...batches.map((_, k) => k)],
      meanPaddedLength: mean(picked.map(padded)),
      epochMeanPaddedLength: mean(epoch.map(padded)),
      meanTokens: mean(features.map((f) => f.inputIds.length)),
    };
  }
  return plan;
}

/**
 * Sequences per second from one side's timed steps (warm-up already left out), by the workload's
 * rule: batch / median step for `median`, all sequences / all time for `total`.
 */
export function sequencesPerSecond(timing, stepMs, batchSizes) {
  if (stepMs.length === 0) return NaN;
  if (timing === 'median') {
    const sorted = stepMs.map((t, i) => [t, batchSizes[i]]).sort((a, b) => a[0] - b[0]);
    const [t, n] = sorted[Math.floor(sorted.length / 2)];
    return n / (t / 1000);
  }
  return batchSizes.reduce((a, b) => a + b, 0) / (stepMs.reduce((a, b) => a + b, 0) / 1000);
}
