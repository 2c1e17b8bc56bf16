import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { train } from './train';
import { predict } from './predict';
import { TRAIN_DEFAULTS } from '../train_config';
import { APP_DATA, DEFAULT_MODEL } from '../model_source';

export interface DemoOptions {
  out?: string;
  epochs?: number;
  backend?: string;
}

const EXAMPLES = ['a gripping , beautifully acted film that stays with you long after it ends .', 'a dull , lifeless mess with nothing to say .'];

/** The README's main job: fine-tune on bundled SST-2 sentences, report on the full dev set, predict two sentences. */
export async function demo(opts: DemoOptions, print: (s: string) => void = (s) => console.log(s)): Promise<void> {
  const out = opts.out ?? join(tmpdir(), 'attn-classify-demo');
  const start = DEFAULT_MODEL === 'bert-tiny' ? 'bert-tiny from random weights' : `${relative(process.cwd(), DEFAULT_MODEL) || DEFAULT_MODEL} (BERT-tiny pretrained by attn, see apps/pretrain)`;
  print(`attn demo: sentiment classification (SST-2) with a small BERT, end to end. Starting from ${start}.`);
  print('Step 1/4 - train on 4,000 SST-2 sentences bundled in apps/classify/data, evaluating on the 872 dev sentences after each epoch.');
  const result = await train(
    {
      ...TRAIN_DEFAULTS,
      train: join(APP_DATA, 'sst2-train-4k.tsv'),
      dev: join(APP_DATA, 'sst2-dev.tsv'),
      model: DEFAULT_MODEL,
      out,
      epochs: opts.epochs ?? 4,
      lr: 1e-3,
      // The TSVs hold GLUE's ids; the saved config.json's id2label names them, so predict prints names.
      labelNames: ['negative', 'positive'],
      backend: opts.backend,
    },
    print,
  );
  print(`\nStep 2/4 - dev accuracy ${(result.dev!.accuracy * 100).toFixed(2)}% after ${result.seconds.toFixed(0)} s of training.`);
  print(`Step 3/4 - the model was saved in HF format to ${out}`);
  print('Step 4/4 - predicting two new sentences with the saved model:');
  await predict({ model: out, texts: EXAMPLES, maxLength: 128, backend: opts.backend }, print);
  // attn-classify is not on PATH in a clone (a private workspace package): name the built script itself.
  const cli = relative(process.cwd(), join(APP_DATA, '..', 'dist', 'cli.js'));
  print(`\nNext: node ${cli} predict --model ${out} "your sentence"   |   node ${cli} eval --model ${out} --data file.tsv`);
}
