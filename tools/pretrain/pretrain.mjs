#!/usr/bin/env node
// Masked-LM pretraining of a small BERT from scratch on the Project Gutenberg corpus, with attn's
// own packages (built dist). Resumable: rerun the same command and it continues from the newest
// checkpoint-<step>/ in --output-dir. See tools/pretrain/README.md.
//
//   node tools/pretrain/pretrain.mjs --output-dir /tmp/pretrain/run [--max-steps 6000] ...
//   node tools/pretrain/pretrain.mjs --export models/attn-bert-tiny --output-dir /tmp/pretrain/run --tokenizer …/tokenizer.json
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, appendFileSync, renameSync, copyFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => join(root, 'packages', p, 'dist', 'index.js');

const { values: opt } = parseArgs({
  options: {
    'output-dir': { type: 'string', default: '/tmp/pretrain/run' },
    corpus: { type: 'string', default: join(root, '..', 'shared', 'data', 'corpus', 'gutenberg') },
    'holdout': { type: 'string', default: 'pg84' },
    vocab: { type: 'string', default: join(root, 'fixtures', 'tokenizers', 'bert-base-uncased', 'vocab.txt') },
    tokenizer: { type: 'string' }, // a tokenizer.json instead of --vocab (e.g. a WordPiece trained on the corpus)
    cased: { type: 'boolean', default: false }, // --vocab without lower-casing (bert-base-cased's vocab.txt)
    preset: { type: 'string', default: 'bert-tiny' },
    dropout: { type: 'string', default: '0.1' }, // hidden and attention dropout while pretraining (short budgets learn faster without)
    'seq-len': { type: 'string', default: '128' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '1e-3' },
    'warmup-steps': { type: 'string', default: '1000' },
    'max-steps': { type: 'string', default: '6000' },
    'weight-decay': { type: 'string', default: '0.01' },
    'save-steps': { type: 'string', default: '100' },
    'save-total-limit': { type: 'string', default: '3' },
    'logging-steps': { type: 'string', default: '10' },
    'eval-steps': { type: 'string', default: '200' },
    'eval-segments': { type: 'string', default: '256' },
    extra: { type: 'string', multiple: true, default: [] }, // more training text: SST-2 .tsv (sentence column), SQuAD .json (contexts), .txt (one paragraph per line)
    'squad-dev-articles': { type: 'string', default: '6' }, // the last N SQuAD articles are the QA app's dev split: never pretrained on
    'max-books': { type: 'string' }, // small runs: only the first N training books
    'max-segments': { type: 'string' }, // small runs: cap the training segments
    'whole-word-mask': { type: 'boolean', default: false },
    'init-from': { type: 'string' }, // a fresh run starts from these weights (a checkpoint or HF dir), e.g. a shorter-sequence phase
    'tile-positions': { type: 'string' }, // with --init-from: the earlier phase's segment length N; positions ≥ N-1 copy its content positions 1..N-2
    'sinusoidal-positions': { type: 'boolean', default: false }, // start the (learned) position embeddings from sin/cos values
    'mask-rate': { type: 'string', default: '0.15' }, // training masks only; held-out evaluation always masks 15%
    seed: { type: 'string', default: '42' },
    native: { type: 'boolean', default: true },
    threads: { type: 'string' },
    export: { type: 'string' }, // export the newest checkpoint as an HF directory and exit
    'eval-only': { type: 'boolean', default: false },
  },
});

if (opt['tile-positions'] && !opt['init-from']) throw new Error('--tile-positions needs --init-from (the shorter phase whose positions it copies)');
const outputDir = opt['output-dir'];
const seqLen = Number(opt['seq-len']);
const batchSize = Number(opt['batch-size']);
mkdirSync(outputDir, { recursive: true });

const { tf, initBackend, setGlobalSeed, Generator } = await import(dist('tensor'));
const { BertConfig, createModel, BertForMaskedLM } = await import(dist('models'));
const { Tokenizer } = await import(dist('tokenizers'));
const { readGutenbergParagraphs, packSequences, MlmCollator, ArrayDataset, DataLoader } = await import(dist('data'));
const { Trainer, JsonlLoggerCallback, latestCheckpoint } = await import(dist('trainer'));

const backend = await initBackend({ backend: 'wasm' });
if (backend !== 'wasm') throw new Error(`expected the wasm backend, got ${backend}`);
let nativeInfo = 'none';
if (opt.native) {
  try {
    // ATTN_PRETRAIN_NATIVE_JS: a private copy of the dist (run-background.sh makes one), matching the addon copy.
    const native = await import(process.env.ATTN_PRETRAIN_NATIVE_JS ?? dist('tensor-native'));
    const r = native.registerNativeKernelsDetailed(tf, 'wasm');
    const addon = native.loadNativeAddon?.();
    if (addon && opt.threads) addon.setThreads(Number(opt.threads));
    const info = addon?.info?.();
    nativeInfo = r.registered ? `@attn/tensor-native (${info?.isa ?? '?'}, ${info?.threads ?? '?'} threads): ${r.kernels.join(', ')}` : `unavailable (${r.reason})`;
  } catch (e) {
    nativeInfo = `unavailable (${e.message})`;
  }
}
console.log(`[pretrain] ${new Date().toISOString()} backend ${backend}; native kernels: ${nativeInfo}`);

const tokenizer = opt.tokenizer ? await Tokenizer.fromFile(opt.tokenizer) : await Tokenizer.fromVocabFile(opt.vocab, { lowercase: !opt.cased });
const vocabSize = tokenizer.getVocabSize();

// ---- data: tokenised + packed once, cached as ids (tokenising 15 MB takes minutes here) ----
function bookFiles() {
  return readdirSync(opt.corpus).filter((f) => f.endsWith('.txt')).sort();
}
const { extraTexts } = await import('./corpus.mjs');
async function packedIds(files, cacheName, extras = []) {
  const tag = extras.length ? `+${extras.map((e) => basename(e).replace(/\.[^.]+$/, '')).join('+')}` : '';
  // The tokenizer file's hash in the name: two tokenizers of the same size (cased / uncased 8k) share a file name.
  const tokHash = createHash('sha256').update(readFileSync(opt.tokenizer ?? opt.vocab)).digest('hex').slice(0, 10);
  const cache = join(dirname(outputDir), `${cacheName}${tag}-${basename(opt.tokenizer ?? opt.vocab)}-${tokHash}${!opt.tokenizer && opt.cased ? '-cased' : ''}-${vocabSize}-s${seqLen}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  const t0 = performance.now();
  const texts = [];
  for (const f of files) texts.push(...(await readGutenbergParagraphs(join(opt.corpus, f))));
  for (const e of extras) texts.push(...extraTexts(e, { squadDevArticles: Number(opt['squad-dev-articles']) }));
  const segs = [];
  for (const feat of packSequences(tokenizer, texts, { maxLength: seqLen })) segs.push(feat.inputIds);
  writeFileSync(cache + '.tmp', JSON.stringify(segs));
  renameSync(cache + '.tmp', cache);
  console.log(`[pretrain] packed ${files.length} book(s)${extras.length ? ` + ${extras.join(', ')}` : ''} → ${segs.length} segments of ${seqLen} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${cache})`);
  return segs;
}
const all = bookFiles();
const heldOut = all.filter((f) => f.startsWith(`${opt.holdout}-`));
let trainBooks = all.filter((f) => !heldOut.includes(f));
if (opt['max-books']) trainBooks = trainBooks.slice(0, Number(opt['max-books']));
let trainIds = await packedIds(trainBooks, `train-${trainBooks.length}books`, opt.extra);
if (opt['max-segments']) trainIds = trainIds.slice(0, Number(opt['max-segments']));
const evalIds = (await packedIds(heldOut, `heldout-${opt.holdout}`)).slice(0, Number(opt['eval-segments']));
const special = new Set([tokenizer.clsTokenId, tokenizer.sepTokenId]);
// Whole-word masking needs word ids; the id cache keeps none, but a WordPiece id says whether it
// continues the previous word ("##" prefix), which is all HF's whole-word collator uses too.
const continuation = new Uint8Array(vocabSize);
for (let id = 0; id < vocabSize; id++) continuation[id] = tokenizer.idToToken(id)?.startsWith('##') ? 1 : 0;
function wordIdsOf(ids) {
  let w = -1;
  return ids.map((id) => (special.has(id) ? null : continuation[id] && w >= 0 ? w : ++w));
}
const toFeature = (ids) => ({ inputIds: ids, specialTokensMask: ids.map((id) => (special.has(id) ? 1 : 0)), ...(opt['whole-word-mask'] ? { wordIds: wordIdsOf(ids) } : {}) });
console.log(`[pretrain] train: ${trainBooks.length} books${opt.extra.length ? ` + ${opt.extra.map((e) => basename(e)).join(' + ')}` : ''}, ${trainIds.length} segments (${trainIds.length * seqLen} tokens); held out: ${heldOut.join(', ')} (${evalIds.length} segments)`);

// ---- model: BertForMaskedLM; the head only at the masked positions ----
/**
 * Training wrapper around BertForMaskedLM: the prediction head (a [tokens, hidden] × [hidden, vocab]
 * product, the bulk of a tiny model's compute) runs on the ~15% masked positions only. Same loss as
 * the full head (cross-entropy over labels != -100); parameters, names and checkpoints are the
 * wrapped model's, so savePretrained writes a plain BertForMaskedLM.
 */
class MaskedPositionsMlm {
  /** `rng`: the generator the model's dropout draws from, so checkpoints save and restore it. */
  constructor(inner, rng) {
    this.inner = inner;
    this.rng = rng;
    this.config = inner.config;
  }
  namedParameters() { return this.inner.namedParameters(); }
  trainableParameters() { return this.inner.trainableParameters(); }
  train(mode) { return this.inner.train(mode); }
  eval() { return this.inner.eval(); }
  stateDict() { return this.inner.stateDict(); }
  loadStateDict(sd, o) { return this.inner.loadStateDict(sd, o); }
  transposedParameterNames() { return this.inner.transposedParameterNames?.(); }
  loadPretrainedWeights(w, o) { return this.inner.loadPretrainedWeights(w, o); }
  savePretrained(dir) { return this.inner.savePretrained(dir); }

  /** Masked positions (flat indices) and their labels, read on the host. */
  static targets(labels) {
    const lab = labels.dataSync();
    const pos = [];
    const tgt = [];
    for (let i = 0; i < lab.length; i++) if (lab[i] !== -100) { pos.push(i); tgt.push(lab[i]); }
    return { pos, tgt };
  }

  /** logits [m, vocab] at the flat positions `pos`. */
  logitsAt(inputs, pos) {
    return tf.tidy(() => {
      const h = this.inner.bert.forward({ inputIds: inputs.inputIds, attentionMask: inputs.attentionMask, tokenTypeIds: inputs.tokenTypeIds }).lastHiddenState;
      const hidden = h.shape[2];
      const picked = tf.gather(tf.reshape(h, [-1, hidden]), tf.tensor1d(pos, 'int32')); // [m, hidden]
      return this.inner.cls.predictions.forward(tf.expandDims(picked, 0), this.inner.bert.embeddings.word_embeddings.weight).squeeze([0]);
    });
  }

  forward(inputs) {
    const { pos, tgt } = MaskedPositionsMlm.targets(inputs.labels);
    if (pos.length === 0) return { loss: tf.scalar(0) };
    return tf.tidy(() => {
      const logits = this.logitsAt(inputs, pos);
      return { loss: softmaxCE(logits, tgt) };
    });
  }
}
const { softmaxCrossEntropy } = await import(dist('tensor'));
const softmaxCE = (logits, tgt) => softmaxCrossEntropy(logits, tf.tensor1d(tgt, 'int32'), { ignoreIndex: -100 });

const dropout = Number(opt.dropout);
const config = BertConfig.preset(opt.preset, { vocab_size: vocabSize, pad_token_id: tokenizer.padTokenId ?? 0, max_position_embeddings: 512, hidden_dropout_prob: dropout, attention_probs_dropout_prob: dropout });
setGlobalSeed(Number(opt.seed));
const modelRng = new Generator(Number(opt.seed));
const inner = createModel('masked-lm', config, { rng: modelRng });
const model = new MaskedPositionsMlm(inner, modelRng);
if (opt['sinusoidal-positions']) {
  // Vaswani et al.'s sin/cos table, scaled to the initializer's std, as the starting point of the learned
  // position embeddings (relative offsets are linear maps of the table). Still plain BERT weights.
  // Measured (README, fourth session): no earlier exit from the unigram plateau than the random start;
  // 32-token segments are what helped.
  const w = inner.bert.embeddings.position_embeddings.weight;
  const [n, d] = w.shape;
  const table = new Float32Array(n * d);
  const scale = config.initializerRange * Math.SQRT2; // sin/cos have std 1/√2
  for (let p = 0; p < n; p++) for (let i = 0; i < d; i += 2) {
    const f = p / 10000 ** (i / d);
    table[p * d + i] = scale * Math.sin(f);
    if (i + 1 < d) table[p * d + i + 1] = scale * Math.cos(f);
  }
  tf.tidy(() => w.assign(tf.tensor2d(table, [n, d])));
}
const nParams = inner.namedParameters().reduce((s, [, v]) => s + v.size, 0);
console.log(`[pretrain] ${opt.preset}: L${config.numHiddenLayers}/H${config.hiddenSize}/A${config.numAttentionHeads}/I${config.intermediateSize}, vocab ${vocabSize}, ${(nParams / 1e6).toFixed(2)}M parameters`);

// ---- held-out evaluation: fixed masks (a fresh seeded collator each time) ----
const evalFile = join(outputDir, 'eval.jsonl');
function evaluateHeldOut() {
  const wasTraining = inner.training;
  inner.eval();
  const collator = new MlmCollator({ maskTokenId: tokenizer.maskTokenId, padTokenId: tokenizer.padTokenId ?? 0, vocabSize, seed: 1234 });
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  const t0 = performance.now();
  for (let i = 0; i < evalIds.length; i += batchSize) {
    const batch = collator.collate(evalIds.slice(i, i + batchSize).map(toFeature));
    const { pos, tgt } = MaskedPositionsMlm.targets(batch.labels);
    tf.tidy(() => {
      const logits = model.logitsAt(batch, pos);
      const loss = softmaxCE(logits, tgt).dataSync()[0];
      const pred = tf.argMax(logits, 1).dataSync();
      lossSum += loss * pos.length;
      for (let k = 0; k < pred.length; k++) if (pred[k] === tgt[k]) correct++;
      count += pos.length;
    });
    Object.values(batch).forEach((t) => t.dispose());
  }
  if (wasTraining) inner.train();
  const loss = lossSum / Math.max(count, 1);
  return { eval_mlm_loss: loss, eval_perplexity: Math.exp(loss), eval_masked_accuracy: correct / Math.max(count, 1), eval_masked_tokens: count, eval_runtime: (performance.now() - t0) / 1000 };
}

// ---- fill-mask examples: the top-5 tokens at each [MASK], for the model card ----
const FILL_MASK_EXAMPLES = [
  'It was a dark and stormy [MASK].',
  'She opened the [MASK] and looked out into the garden.',
  'I do not know what you [MASK] to say.',
  'The old man took off his [MASK] and sat down by the fire.',
];
function fillMask(texts) {
  inner.eval();
  return texts.map((text) => {
    const enc = tokenizer.encode(text);
    const pos = enc.ids.flatMap((id, i) => (id === tokenizer.maskTokenId ? [i] : []));
    const top = tf.tidy(() => {
      const logits = model.logitsAt({ inputIds: tf.tensor2d([enc.ids], [1, enc.ids.length], 'int32') }, pos);
      return tf.topk(logits, 5).indices.arraySync();
    });
    return { text, top5: top.map((ids) => ids.map((id) => tokenizer.idToToken(id))) };
  });
}

// ---- export: newest checkpoint → HF directory (config.json, model.safetensors, tokenizer.json) ----
async function exportTo(dir, ckpt) {
  const { loadModelWeights } = await import(dist('trainer'));
  await loadModelWeights(model, ckpt);
  mkdirSync(dir, { recursive: true });
  await inner.savePretrained(dir);
  if (typeof tokenizer.save === 'function') await tokenizer.save(join(dir, 'tokenizer.json'));
  if (!opt.tokenizer) copyFileSync(opt.vocab, join(dir, 'vocab.txt'));
  else {
    // vocab.txt beside tokenizer.json, for HF's slow BertTokenizer
    const lines = [];
    for (let i = 0; i < vocabSize; i++) lines.push(tokenizer.idToToken(i));
    writeFileSync(join(dir, 'vocab.txt'), lines.join('\n') + '\n');
  }
  const lowercase = opt.tokenizer ? JSON.parse(readFileSync(opt.tokenizer, 'utf8')).normalizer?.lowercase !== false : !opt.cased;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: lowercase, model_max_length: 512, tokenizer_class: 'BertTokenizer' }, null, 2) + '\n');
  const metrics = evaluateHeldOut();
  const state = JSON.parse(readFileSync(join(ckpt, 'trainer_state.json'), 'utf8'));
  const summary = { checkpoint: ckpt, global_step: state.globalStep, tokens_seen: state.numInputExamples * seqLen, ...metrics, fill_mask: fillMask(FILL_MASK_EXAMPLES) };
  writeFileSync(join(dir, 'pretrain_metrics.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(`[pretrain] exported ${ckpt} → ${dir}`, JSON.stringify(summary, null, 2));
}

if (opt.export || opt['eval-only']) {
  const ckpt = await latestCheckpoint(outputDir);
  if (!ckpt) throw new Error(`${outputDir} holds no checkpoint-<step> directory to export.`);
  if (opt.export) await exportTo(opt.export, ckpt);
  else {
    const { loadModelWeights } = await import(dist('trainer'));
    await loadModelWeights(model, ckpt);
    console.log(JSON.stringify({ checkpoint: ckpt, ...evaluateHeldOut() }));
  }
  process.exit(0);
}

// ---- training ----
const collator = new MlmCollator({
  maskTokenId: tokenizer.maskTokenId,
  padTokenId: tokenizer.padTokenId ?? 0,
  vocabSize,
  seed: Number(opt.seed),
  mlmProbability: Number(opt['mask-rate']),
  wholeWordMask: opt['whole-word-mask'],
});
const loader = new DataLoader(new ArrayDataset(trainIds.map(toFeature)), { batchSize, shuffle: true, seed: Number(opt.seed), dropLast: true, collate: collator.collate });

const maxSteps = Number(opt['max-steps']);
const evalSteps = Number(opt['eval-steps']);
const args = {
  outputDir,
  learningRate: Number(opt.lr),
  perDeviceTrainBatchSize: batchSize,
  maxSteps,
  warmupSteps: Math.min(Number(opt['warmup-steps']), maxSteps),
  weightDecay: Number(opt['weight-decay']),
  lrSchedulerType: 'linear',
  maxGradNorm: 1.0,
  saveSteps: Number(opt['save-steps']),
  saveTotalLimit: Number(opt['save-total-limit']),
  loggingSteps: Number(opt['logging-steps']),
  seed: Number(opt.seed),
  disableTqdm: true,
};

/** Held-out MLM loss / accuracy every evalSteps; the collator's RNG state saved with each checkpoint. */
let stepStart = performance.now();
let lastStep = 0;
const pretrainCallback = {
  onTrainBegin(ctx) {
    lastStep = ctx.state.globalStep;
    stepStart = performance.now();
  },
  onLog(ctx) {
    const l = ctx.logs;
    if (l.loss === undefined) return;
    const steps = ctx.state.globalStep - lastStep;
    const secs = (performance.now() - stepStart) / 1000;
    const sps = steps / Math.max(secs, 1e-9);
    lastStep = ctx.state.globalStep;
    stepStart = performance.now();
    console.log(`[pretrain] ${new Date().toISOString()} step ${ctx.state.globalStep}/${ctx.state.maxSteps} loss ${l.loss.toFixed(4)} lr ${l.learning_rate.toExponential(3)} ${sps.toFixed(3)} step/s ${(sps * batchSize).toFixed(1)} seq/s tensors ${tf.memory().numTensors}`);
  },
  onStepEnd(ctx) {
    const step = ctx.state.globalStep;
    if (step % evalSteps !== 0 && step !== ctx.state.maxSteps) return;
    const m = evaluateHeldOut();
    const entry = { time: new Date().toISOString(), step, tokens_seen: ctx.state.numInputExamples * seqLen, ...m };
    appendFileSync(evalFile, JSON.stringify(entry) + '\n');
    console.log(`[pretrain] eval step ${step}: mlm loss ${m.eval_mlm_loss.toFixed(4)} ppl ${m.eval_perplexity.toFixed(1)} masked acc ${(100 * m.eval_masked_accuracy).toFixed(2)}% (${m.eval_masked_tokens} tokens, ${m.eval_runtime.toFixed(1)} s)`);
    stepStart += m.eval_runtime * 1000;
  },
  onSave(ctx) {
    // Written after the trainer commits the directory: temp file + rename, so a crash here leaves
    // either no file (resume then draws fresh masks) or a complete one.
    const file = join(ctx.checkpointDir, 'mlm_collator_state.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(collator.getState()));
    renameSync(`${file}.tmp`, file);
    console.log(`[pretrain] ${new Date().toISOString()} saved ${ctx.checkpointDir}`);
  },
};

const trainer = new Trainer({ model, args, trainDataLoader: loader, callbacks: [new JsonlLoggerCallback(), pretrainCallback] });
const resume = await latestCheckpoint(outputDir);
if (resume) {
  const stateFile = join(resume, 'mlm_collator_state.json');
  if (existsSync(stateFile)) collator.setState(JSON.parse(readFileSync(stateFile, 'utf8')));
  else console.log(`[pretrain] ${stateFile} is missing; the masks continue from a fresh collator state`);
  console.log(`[pretrain] resuming from ${resume}`);
} else {
  if (opt['init-from']) {
    // A second phase (e.g. 128-token segments after a 32-token phase): weights only; optimiser,
    // schedule and data order start fresh, as in BERT's 128 → 512 sequence-length phases.
    const { loadModelWeights } = await import(dist('trainer'));
    await loadModelWeights(model, opt['init-from']);
    console.log(`[pretrain] initialised from ${opt['init-from']}`);
    if (opt['tile-positions']) {
      // Positions the earlier, shorter phase never saw start as copies of the ones it trained
      // (Longformer's initialisation of its longer position table): position 0 ([CLS]) stays, the
      // content positions 1..N-2 repeat, so the local attention patterns hold at every position.
      const n = Number(opt['tile-positions']);
      const w = inner.bert.embeddings.position_embeddings.weight;
      const rows = w.arraySync();
      for (let p = n - 1; p < rows.length; p++) rows[p] = rows[1 + ((p - 1) % (n - 2))];
      tf.tidy(() => w.assign(tf.tensor2d(rows)));
      console.log(`[pretrain] position embeddings ${n - 1}..${rows.length - 1} tiled from 1..${n - 2}`);
    }
  }
  const m = evaluateHeldOut();
  appendFileSync(evalFile, JSON.stringify({ time: new Date().toISOString(), step: 0, tokens_seen: 0, ...m }) + '\n');
  console.log(`[pretrain] eval step 0: mlm loss ${m.eval_mlm_loss.toFixed(4)} masked acc ${(100 * m.eval_masked_accuracy).toFixed(2)}%`);
}
const out = await trainer.train(resume ? { resumeFromCheckpoint: resume } : {});
console.log(`[pretrain] done`, out);
if (trainer.state.globalStep % Number(opt['save-steps']) !== 0) await trainer.saveCheckpoint();
process.exit(0);
