// Where the page's checkpoint comes from: files the user picks, a URL (an HF-layout folder), or the bundled default.
import { loadModelFromBytes, toPretrainedBytesAsync, type PretrainedBytes } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import defaultConfigUrl from '../../../models/attn-bert-tiny/config.json?url';
import defaultWeightsUrl from '../../../models/attn-bert-tiny/model.safetensors?url';
import defaultTokenizerUrl from '../../../models/attn-bert-tiny/tokenizer.json?url';

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

/**
 * models/attn-bert-tiny (BERT-Tiny pretrained with masked-LM by attn, the classify app's default) with a new
 * two-label sentiment head (seed 0): the encoder is trained, the head is not until the page fine-tunes it.
 */
export async function loadDefaultCheckpoint(): Promise<LoadedCheckpoint> {
  const [config, safetensors, tokenizerJson] = await Promise.all([fetchText(defaultConfigUrl), fetchBytes(defaultWeightsUrl), fetchText(defaultTokenizerUrl)]);
  const model = loadModelFromBytes(
    { config, safetensors },
    { task: 'sequence-classification', id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' }, seed: 0, quiet: true, source: 'models/attn-bert-tiny' },
  );
  try {
    return {
      checkpoint: await toPretrainedBytesAsync(model),
      tokenizerJson,
      tokenizer: Tokenizer.fromJSON(tokenizerJson, 'models/attn-bert-tiny/tokenizer.json'),
      description:
        'Default: attn-bert-tiny (L2/H128, pretrained with masked-LM by attn) with a new sentiment head (seed 0) — the head is untrained, so its predictions mean nothing until you fine-tune it below.',
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
