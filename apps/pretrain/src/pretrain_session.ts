import { mkdir } from 'node:fs/promises';
import { writeFileDurable } from '@attn/tensor/durable_write';
import { basename, dirname, join } from 'node:path';
import { tf, nativeKernelsActive } from '@attn/tensor';
import { WordPiece, type Tokenizer } from '@attn/tokenizers';
import type { MlmFeature } from '@attn/data';
import { BertForMaskedLM, type PretrainedConfig, type TaskModel } from '@attn/models';
import { loadModelWeights } from '@attn/trainer';
import { saveTokenizer } from '@attn/pipelines';
import { CliError, startBackend } from '@attn/cli';
import { corpusBooks, corpusTexts } from './corpus';
import { segmentIds } from './segments';
import { openTokenizer } from './tokenizer_source';
import { createPretrainModel, resolveModelConfig } from './pretrain_model';
import { evaluateClm, evaluateMlm, type ClmEvaluation, type MlmEvaluation } from './heldout_eval';
import { maskedLogits } from './masked_lm_loss';
import type { PretrainSettings } from './pretrain_flags';

/** What train, export and eval share: backend, tokenizer, the packed corpus and a model of the run's shape. */
export interface PretrainSession {
  settings: PretrainSettings;
  tokenizer: Tokenizer;
  config: PretrainedConfig;
  model: TaskModel;
  /** Training segments as token ids (MLM: [CLS] … [SEP]; CLM: plain blocks). */
  trainIds: number[][];
  /** The held-out book's first --eval-segments segments. */
  evalIds: number[][];
  heldOutBooks: string[];
  trainBooks: string[];
  /** An MLM feature for the collator (special tokens, word ids with --whole-word-mask). */
  toFeature(ids: number[]): MlmFeature;
  evaluate(): MlmEvaluation | ClmEvaluation;
  describe(): string;
}

/** Loads the backend, tokenizer and (cached) packed corpus, and builds a fresh model with the run's dropout. */
export async function openSession(s: PretrainSettings, print: (line: string) => void): Promise<PretrainSession> {
  if (!s.native) process.env['ATTN_NATIVE'] = '0';
  if (s.threads !== undefined) process.env['ATTN_NATIVE_THREADS'] = String(s.threads);
  const backend = await startBackend(s.backend);
  print(`backend ${backend}${nativeKernelsActive() ? ' + @attn/tensor-native kernels' : ''}`);

  const { tokenizer, files: tokenizerFiles } = await openTokenizer(s);
  const vocabSize = tokenizer.getVocabSize();
  if (s.objective === 'mlm') {
    for (const [name, id] of [['[CLS]', tokenizer.clsTokenId], ['[SEP]', tokenizer.sepTokenId], ['[MASK]', tokenizer.maskTokenId]] as const) {
      if (id === undefined) throw new CliError(`${tokenizerFiles[0]}: the vocabulary has no ${name} token, which masked-LM pretraining needs.`);
    }
  }

  const books = corpusBooks({ dir: s.corpus, holdout: s.holdout, maxBooks: s.maxBooks, extra: s.extra, squadDevArticles: s.squadDevArticles });
  const cache = { dir: dirname(s.outputDir), tokenizerFiles, variant: !s.tokenizer && s.cased ? 'cased' : undefined };
  const log = (line: string) => print(line);
  const tag = s.extra.length ? `+${s.extra.map((e) => basename(e).replace(/\.[^.]+$/, '')).join('+')}` : '';
  let trainIds = await segmentIds(`train-${books.train.length}books${tag}`, () => corpusTexts(books.train, s.extra, s.squadDevArticles), tokenizer, { objective: s.objective, seqLen: s.seqLen, cache, log });
  if (s.maxSegments !== undefined) trainIds = trainIds.slice(0, s.maxSegments);
  const heldName = `heldout-${s.holdout}`;
  const evalIds = (await segmentIds(heldName, () => corpusTexts(books.heldOut, [], 0), tokenizer, { objective: s.objective, seqLen: s.seqLen, cache, log })).slice(0, s.evalSegments);
  if (trainIds.length < s.batchSize) throw new CliError(`--corpus ${s.corpus}: ${trainIds.length} training segments of ${s.seqLen} tokens, fewer than one --batch-size ${s.batchSize}; add text or lower --batch-size / --seq-len.`);
  if (evalIds.length === 0) throw new CliError(`--holdout ${s.holdout}: the held-out book gives no segment of ${s.seqLen} tokens.`);

  const config = resolveModelConfig(s, { vocabSize, padTokenId: tokenizer.padTokenId }, s.dropout);
  if (s.objective === 'mlm' && config.modelType !== 'bert') throw new CliError(`--objective mlm pretrains BERT; the config's model_type is "${config.modelType}".`);
  if (s.seqLen > config.maxPositionEmbeddings) throw new CliError(`--seq-len ${s.seqLen}: the model has ${config.maxPositionEmbeddings} positions.`);
  const model = createPretrainModel(s.objective, config, s.seed);

  const special = new Set([tokenizer.clsTokenId, tokenizer.sepTokenId]);
  // Whole-word masking needs word ids; the id cache keeps none, but a WordPiece id says whether it
  // continues the previous word ("##" prefix), which is all HF's whole-word collator uses too.
  const continuation = new Uint8Array(vocabSize);
  if (s.wholeWordMask) for (let id = 0; id < vocabSize; id++) continuation[id] = tokenizer.idToToken(id)?.startsWith('##') ? 1 : 0;
  const wordIdsOf = (ids: number[]) => {
    let w = -1;
    return ids.map((id) => (special.has(id) ? null : continuation[id] && w >= 0 ? w : ++w));
  };
  const toFeature = (ids: number[]): MlmFeature => ({
    inputIds: ids,
    specialTokensMask: ids.map((id) => (special.has(id) ? 1 : 0)),
    ...(s.wholeWordMask ? { wordIds: wordIdsOf(ids) } : {}),
  });
  const pad = tokenizer.padTokenId ?? 0;
  const evaluate = (): MlmEvaluation | ClmEvaluation =>
    s.objective === 'mlm'
      ? evaluateMlm(model as BertForMaskedLM, evalIds.map(toFeature), { batchSize: s.batchSize, maskTokenId: tokenizer.maskTokenId!, padTokenId: pad, vocabSize })
      : evaluateClm(model, evalIds, { batchSize: s.batchSize, padTokenId: pad });
  const describe = () => {
    const c = config.toJSON();
    const shape = ['num_hidden_layers', 'n_layer', 'hidden_size', 'n_embd', 'num_attention_heads', 'n_head'].filter((k) => c[k] !== undefined).map((k) => `${k} ${String(c[k])}`).join(', ');
    return `${config.modelType} (${shape}), vocab ${vocabSize}, ${(model.numParameters() / 1e6).toFixed(2)}M parameters; train: ${books.train.length} books${s.extra.length ? ` + ${s.extra.map((e) => basename(e)).join(' + ')}` : ''}, ${trainIds.length} segments (${trainIds.length * s.seqLen} tokens); held out: ${books.heldOut.map((b) => basename(b)).join(', ')} (${evalIds.length} segments)`;
  };
  return { settings: s, tokenizer, config, model, trainIds, evalIds, heldOutBooks: books.heldOut, trainBooks: books.train, toFeature, evaluate, describe };
}

/** Fill-mask examples for the export's pretrain_metrics.json (hf-check.py compares HF's top-5 with these). */
export const FILL_MASK_EXAMPLES = [
  'It was a dark and stormy [MASK].',
  'She opened the [MASK] and looked out into the garden.',
  'I do not know what you [MASK] to say.',
  'The old man took off his [MASK] and sat down by the fire.',
];

/** The top-5 tokens at each [MASK] of each text. */
export function fillMask(model: BertForMaskedLM, tokenizer: Tokenizer, texts: readonly string[]): Array<{ text: string; top5: string[][] }> {
  const wasTraining = model.training;
  model.eval();
  try {
    return texts.map((text) => {
      const enc = tokenizer.encode(text);
      const positions = enc.ids.flatMap((id, i) => (id === tokenizer.maskTokenId ? [i] : []));
      const top = tf.tidy(() => tf.topk(maskedLogits(model, { inputIds: tf.tensor2d([enc.ids], [1, enc.ids.length], 'int32') }, positions), 5).indices.arraySync() as number[][]);
      return { text, top5: top.map((ids) => ids.map((id) => tokenizer.idToToken(id) ?? `<${id}>`)) };
    });
  } finally {
    model.train(wasTraining);
  }
}

/**
 * Writes `ckpt`'s weights as an HF directory: config.json (with the config's own dropout, for fine-tuning),
 * model.safetensors, tokenizer.json + tokenizer_config.json, vocab.txt for a WordPiece vocabulary, and
 * pretrain_metrics.json (held-out figures; MLM: fill-mask top-5).
 */
export async function exportCheckpoint(
  session: PretrainSession,
  ckpt: string,
  dir: string,
  state: { globalStep: number; numInputExamples: number },
): Promise<{ metrics: MlmEvaluation | ClmEvaluation; summary: Record<string, unknown> }> {
  const s = session.settings;
  const { model, tokenizer } = session;
  await loadModelWeights(model, ckpt);
  // The exported config carries the family's fine-tuning dropout, not the pretraining one.
  const fineTuneConfig = resolveModelConfig(s, { vocabSize: tokenizer.getVocabSize(), padTokenId: tokenizer.padTokenId });
  const exported = createPretrainModel(s.objective, fineTuneConfig, s.seed);
  try {
    exported.loadStateDict(model.stateDict());
    await mkdir(dir, { recursive: true });
    await exported.savePretrained(dir);
  } finally {
    exported.dispose();
  }
  await saveTokenizer(tokenizer, dir);
  // vocab.txt beside tokenizer.json, for HF's slow BertTokenizer.
  if (tokenizer.model instanceof WordPiece) await tokenizer.saveVocabFile(join(dir, 'vocab.txt'));
  const metrics = session.evaluate();
  const summary: Record<string, unknown> = { checkpoint: ckpt, objective: s.objective, global_step: state.globalStep, tokens_seen: state.numInputExamples * s.seqLen, ...metrics };
  if (model instanceof BertForMaskedLM) summary['fill_mask'] = fillMask(model, tokenizer, FILL_MASK_EXAMPLES);
  await writeFileDurable(join(dir, 'pretrain_metrics.json'), JSON.stringify(summary, null, 2) + '\n');
  return { metrics, summary };
}
