// Where the page's checkpoint comes from: files the user picks, a URL (an HF-layout folder), or the bundled default.
import { BertConfig, BertForSequenceClassification, toPretrainedBytes, type PretrainedBytes } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import defaultTokenizerUrl from '../../../fixtures/tokenizers/bert-base-uncased/tokenizer.json?url';

/** A checkpoint in memory plus its tokenizer, and a line telling the user what it is. */
export interface LoadedCheckpoint {
  checkpoint: PretrainedBytes;
  tokenizerJson: string;
  tokenizer: Tokenizer;
  description: string;
}

export class ModelSourceError extends Error {
  override name = 'ModelSourceError';
}

/** A randomly initialised bert-tiny sentiment classifier (seed 0) with bert-base-uncased's tokenizer. */
export async function loadDefaultCheckpoint(): Promise<LoadedCheckpoint> {
  const tokenizerJson = await fetchText(defaultTokenizerUrl);
  const config = BertConfig.preset('bert-tiny', { num_labels: 2, id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' }, label2id: { NEGATIVE: 0, POSITIVE: 1 } });
  const model = new BertForSequenceClassification(config, { seed: 0 });
  try {
    return {
      checkpoint: toPretrainedBytes(model),
      tokenizerJson,
      tokenizer: Tokenizer.fromJSON(tokenizerJson, 'tokenizer.json'),
      description:
        'Default: a randomly initialised bert-tiny (L2/H128) classifier (seed 0) with the bert-base-uncased tokenizer — untrained, so its predictions mean nothing until you fine-tune it below.',
    };
  } finally {
    model.dispose();
  }
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
