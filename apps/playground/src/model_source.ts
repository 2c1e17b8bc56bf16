// Where the page's checkpoint comes from: files the user picks, a URL (an HF-layout folder), or the bundled defaults.
import { Tokenizer } from '@attn/tokenizers';
import type { LoadedCheckpoint, PlaygroundTask } from './task_models';
// The bundled defaults: one fine-tuned checkpoint per task (models/*/README.md). Vite emits each file as an asset;
// only the sentiment one is fetched at start, the others when their section first runs.
import sst2Config from '../../../models/attn-bert-tiny-sst2/config.json?url';
import sst2Weights from '../../../models/attn-bert-tiny-sst2/model.safetensors?url';
import sst2Tokenizer from '../../../models/attn-bert-tiny-sst2/tokenizer.json?url';
import sst2Eval from '../../../models/attn-bert-tiny-sst2/eval_results.json';
import conllConfig from '../../../models/attn-bert-tiny-conll03/config.json?url';
import conllWeights from '../../../models/attn-bert-tiny-conll03/model.safetensors?url';
import conllTokenizer from '../../../models/attn-bert-tiny-conll03/tokenizer.json?url';
import conllEval from '../../../models/attn-bert-tiny-conll03/eval_results.json';
import squadConfig from '../../../models/attn-bert-tiny-squad/config.json?url';
import squadWeights from '../../../models/attn-bert-tiny-squad/model.safetensors?url';
import squadTokenizer from '../../../models/attn-bert-tiny-squad/tokenizer.json?url';
import squadEval from '../../../models/attn-bert-tiny-squad/eval_results.json';

export type { LoadedCheckpoint } from './task_models';

export class ModelSourceError extends Error {
  override name = 'ModelSourceError';
}

export interface DefaultTaskModel {
  name: string;
  config: string;
  weights: string;
  tokenizer: string;
  /** The dev score shown beside the model, from its eval_results.json. */
  score: string;
}

/** The default model of each section, with the dev figure its model card reports. */
export const DEFAULT_TASK_MODELS: Record<PlaygroundTask, DefaultTaskModel> = {
  classification: {
    name: 'attn-bert-tiny-sst2',
    config: sst2Config,
    weights: sst2Weights,
    tokenizer: sst2Tokenizer,
    score: `SST-2 dev accuracy ${(100 * sst2Eval.eval_accuracy).toFixed(2)}% (${sst2Eval.eval_samples} sentences)`,
  },
  ner: {
    name: 'attn-bert-tiny-conll03',
    config: conllConfig,
    weights: conllWeights,
    tokenizer: conllTokenizer,
    score: `CoNLL-2003 dev entity F1 ${(100 * conllEval.eval_f1).toFixed(2)} (${conllEval.eval_samples} sentences)`,
  },
  qa: {
    name: 'attn-bert-tiny-squad',
    config: squadConfig,
    weights: squadWeights,
    tokenizer: squadTokenizer,
    score: `SQuAD v1.1 dev EM / F1 ${squadEval.eval_exact_match.toFixed(2)} / ${squadEval.eval_f1.toFixed(2)} (${squadEval.eval_samples} questions)`,
  },
};

const fetchedDefaults = new Map<PlaygroundTask, Promise<LoadedCheckpoint>>();

/** A task's bundled default, fetched once per page (a failed fetch is retried on the next call). */
export function loadDefaultTaskCheckpoint(task: PlaygroundTask): Promise<LoadedCheckpoint> {
  let loading = fetchedDefaults.get(task);
  if (!loading) {
    const d = DEFAULT_TASK_MODELS[task];
    loading = Promise.all([fetchText(d.config), fetchBytes(d.weights), fetchText(d.tokenizer)]).then(([config, safetensors, tokenizerJson]) => ({
      checkpoint: { config, safetensors },
      tokenizerJson,
      tokenizer: Tokenizer.fromJSON(tokenizerJson, `models/${d.name}/tokenizer.json`),
      description: `${d.name}: ${d.score}`,
    }));
    loading.catch(() => fetchedDefaults.delete(task));
    fetchedDefaults.set(task, loading);
  }
  return loading;
}

/**
 * The page's default: models/attn-bert-tiny-sst2 (sentiment, also the starting point of Fine-tune and the attention
 * map); entities and answers come from their own fine-tuned defaults, fetched when their sections first run.
 */
export async function loadDefaultCheckpoint(): Promise<LoadedCheckpoint> {
  const sentiment = await loadDefaultTaskCheckpoint('classification');
  return {
    ...sentiment,
    description: `Defaults, one fine-tuned model per task: ${(['classification', 'ner', 'qa'] as const).map((t) => `${DEFAULT_TASK_MODELS[t].name} (${DEFAULT_TASK_MODELS[t].score})`).join('; ')}.`,
    taskDefaults: { ner: () => loadDefaultTaskCheckpoint('ner'), qa: () => loadDefaultTaskCheckpoint('qa') },
  };
}

/** config.json + model.safetensors + tokenizer.json from a file picker (any order). */
export async function loadCheckpointFromFiles(files: FileList | File[]): Promise<LoadedCheckpoint> {
  const byName = new Map(Array.from(files).map((f) => [f.name, f]));
  const need = (name: string): File => {
    const f = byName.get(name);
    if (!f) throw new ModelSourceError(`Pick config.json, model.safetensors and tokenizer.json together; ${name} is missing (got: ${[...byName.keys()].join(', ') || 'nothing'}).`);
    return f;
  };
  const tokenizerJson = await need('tokenizer.json').text();
  return {
    checkpoint: { config: await need('config.json').text(), safetensors: new Uint8Array(await need('model.safetensors').arrayBuffer()) },
    tokenizerJson,
    tokenizer: Tokenizer.fromJSON(tokenizerJson, 'tokenizer.json'),
    description: `Files: ${[...byName.keys()].join(', ')}`,
  };
}

/** An HF-layout folder URL: `${url}/config.json`, `${url}/model.safetensors`, `${url}/tokenizer.json`. */
export async function loadCheckpointFromUrl(url: string): Promise<LoadedCheckpoint> {
  const base = url.replace(/\/+$/, '');
  const [config, weights, tokenizerJson] = await Promise.all([
    fetchText(`${base}/config.json`),
    fetchBytes(`${base}/model.safetensors`),
    fetchText(`${base}/tokenizer.json`),
  ]);
  return { checkpoint: { config, safetensors: weights }, tokenizerJson, tokenizer: Tokenizer.fromJSON(tokenizerJson, `${base}/tokenizer.json`), description: `URL: ${base}` };
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new ModelSourceError(`GET ${url} answered ${res.status} ${res.statusText}; the folder needs config.json, model.safetensors and tokenizer.json.`);
  return res;
}

async function fetchText(url: string): Promise<string> {
  return (await fetchOk(url)).text();
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}
