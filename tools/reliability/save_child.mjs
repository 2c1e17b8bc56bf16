// A process to be killed while it saves a model directory with the BUILT packages (packages/*/dist):
// generation after generation, savePretrained (config.json, model.safetensors) then saveTokenizer
// (tokenizer.json, tokenizer_config.json) into one directory, printing "saved <g>" after each complete pair.
// Generation g is readable back: classifier.bias = [g, -g] and tokenizer_config.json's model_max_length = 1000 + g.
// Usage: node save_child.mjs '<json options>'
//   { dir, from = 0, generations = Infinity }             save generations from, from + 1, ...
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (name) => import(pathToFileURL(join(root, 'packages', name, 'dist', 'index.js')).href);
const [{ initBackend, tf }, { BertConfig, createModel }, { Tokenizer }, { saveTokenizer }] = await Promise.all([
  load('tensor'),
  load('models'),
  load('tokenizers'),
  load('pipelines'),
]);

const opts = { from: 0, generations: Infinity, ...JSON.parse(process.argv[2] ?? '{}') };
await initBackend({ backend: 'wasm' });

// ~4.4M parameters (a 30522-row embedding): model.safetensors is ~17 MB, so a kill often lands inside its write.
const config = BertConfig.fromJSON({
  vocab_size: 30522, hidden_size: 128, num_hidden_layers: 1, num_attention_heads: 2,
  intermediate_size: 256, max_position_embeddings: 64, num_labels: 2,
});
const model = createModel('sequence-classification', config);
const bias = model.namedParameters().find(([n]) => n === 'classifier.bias')[1];
const tok = await Tokenizer.fromFile(join(root, 'fixtures', 'tokenizers', 'bert-base-uncased', 'tokenizer.json'));
process.stdout.write('begin\n');
for (let g = opts.from; g < opts.from + opts.generations; g++) {
  bias.assign(tf.tensor1d([g, -g]));
  await model.savePretrained(opts.dir);
  await saveTokenizer(tok, opts.dir, { modelMaxLength: 1000 + g, modelType: 'bert' });
  process.stdout.write(`saved ${g}\n`);
}
process.exit(0);
