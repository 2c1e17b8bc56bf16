// The classification model exported to ONNX in the page (@attn/onnx, the same weights) and run by onnxruntime-web
// on its wasm backend: what a transformers.js page would run. onnxruntime-web loads on first use only.
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import { exportOnnx } from '@attn/onnx';
import { prepareClassificationFeature } from '@attn/data';
import type { InferenceSession } from 'onnxruntime-web';

type Ort = typeof import('onnxruntime-web');

let ortModule: Promise<Ort> | undefined;
const sessions = new WeakMap<object, Promise<InferenceSession>>();

function ort(): Promise<Ort> {
  ortModule ??= import('onnxruntime-web/wasm').then((m) => {
    const o = m as unknown as Ort;
    // One thread: threads need a cross-origin-isolated page (COOP/COEP headers), which a static host may not send.
    o.env.wasm.numThreads = 1;
    return o;
  });
  return ortModule;
}

/** The model's ONNX session, exported once per model object. */
function session(model: TaskModel): Promise<InferenceSession> {
  let s = sessions.get(model);
  if (!s) {
    s = ort().then((o) => o.InferenceSession.create(exportOnnx(model).bytes, { executionProviders: ['wasm'] }));
    sessions.set(model, s);
  }
  return s;
}

/** Label probabilities for one text (softmax of the ONNX graph's logits), tokenized as the attn pipeline does. */
export async function classifyWithOnnxRuntime(model: TaskModel, tokenizer: Tokenizer, text: string, maxLength = 128): Promise<number[]> {
  const o = await ort();
  const s = await session(model);
  const f = prepareClassificationFeature(tokenizer, { text, source: { file: '<input>' } }, { maxLength });
  const n = f.inputIds.length;
  const int64 = (values: ArrayLike<number>) => new o.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(v))), [1, n]);
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
  for (const name of s.inputNames) {
    if (name === 'input_ids') feeds[name] = int64(f.inputIds);
    else if (name === 'attention_mask') feeds[name] = int64(f.attentionMask);
    else if (name === 'token_type_ids') feeds[name] = int64(f.tokenTypeIds);
    else throw new Error(`onnxruntime-web: the exported graph wants an input "${name}" the page does not know`);
  }
  const out = await s.run(feeds);
  const logits = Array.from(out['logits']!.data as Float32Array);
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}
