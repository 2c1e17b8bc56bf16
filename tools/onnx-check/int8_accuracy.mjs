#!/usr/bin/env node
// Accuracy of a text classifier exported to ONNX in float32 and with --int8 (dynamic quantization), both run in
// onnxruntime-node on a labelled TSV/CSV (e.g. SST-2 dev). Usage (packages built):
//   node tools/onnx-check/int8_accuracy.mjs MODEL_DIR DATA_FILE [--max-length 64] [--text-column sentence] [--label-column label]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../packages/tensor/dist/index.js';
import { loadModel } from '../../packages/models/dist/index.js';
import { Tokenizer } from '../../packages/tokenizers/dist/index.js';
import { LabelMap, prepareClassificationFeatures, readDelimited } from '../../packages/data/dist/index.js';
import { exportOnnx } from '../../packages/onnx/dist/index.js';

const ort = createRequire(new URL('../../packages/onnx/package.json', import.meta.url))('onnxruntime-node');
const { values, positionals } = parseArgs({
  options: { 'max-length': { type: 'string', default: '64' }, 'text-column': { type: 'string', default: 'sentence' }, 'label-column': { type: 'string', default: 'label' } },
  allowPositionals: true,
});
const [dir, data] = positionals;
if (!dir || !data) throw new Error('usage: node tools/onnx-check/int8_accuracy.mjs MODEL_DIR DATA_FILE');
await initBackend({ backend: 'cpu' });
const model = await loadModel(dir, { quiet: true });
const tokenizer = await Tokenizer.fromFile(join(dir, 'tokenizer.json'));
const labelMap = LabelMap.fromConfig(model.configJSON(), join(dir, 'config.json'));
const { examples } = await readDelimited(data, { textColumn: values['text-column'], labelColumn: values['label-column'] });
const features = prepareClassificationFeatures(tokenizer, examples, { labelMap, maxLength: Number(values['max-length']) });
const pad = model.config.padTokenId ?? 0;

async function accuracy(bytes, inputNames) {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const predictions = [];
  for (let i = 0; i < features.length; i += 64) {
    const batch = features.slice(i, i + 64);
    const width = Math.max(...batch.map((f) => f.inputIds.length));
    const col = (key, v) => new ort.Tensor('int64', BigInt64Array.from(batch.flatMap((f) => [...f[key], ...Array(width - f[key].length).fill(v)]).map(BigInt)), [batch.length, width]);
    const feeds = { input_ids: col('inputIds', pad), attention_mask: col('attentionMask', 0) };
    if (inputNames.includes('token_type_ids')) feeds.token_type_ids = col('tokenTypeIds', 0);
    const { logits } = await session.run(feeds);
    const k = logits.dims[1];
    for (let r = 0; r < batch.length; r++) {
      const row = Array.from(logits.data.subarray(r * k, (r + 1) * k));
      predictions.push(row.indexOf(Math.max(...row)));
    }
  }
  await session.release();
  return predictions;
}

const float = exportOnnx(model, { opset: 17 });
const int8 = exportOnnx(model, { opset: 17, quantize: 'int8' });
model.dispose();
const pf = await accuracy(float.bytes, float.inputNames);
const pq = await accuracy(int8.bytes, int8.inputNames);
const acc = (p) => p.filter((y, i) => y === features[i].label).length / p.length;
const same = pq.filter((y, i) => y === pf[i]).length;
console.log(
  `${features.length} examples: accuracy float32 ${acc(pf).toFixed(4)} (${(float.bytes.length / 2 ** 20).toFixed(2)} MB), ` +
    `int8 ${acc(pq).toFixed(4)} (${(int8.bytes.length / 2 ** 20).toFixed(2)} MB); change ${((acc(pq) - acc(pf)) * 100).toFixed(2)} points; same label on ${same}/${features.length}`,
);
