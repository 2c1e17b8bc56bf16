import type { PipelineTask } from './pipeline';

/**
 * The checkpoint `pipeline(task)` uses when no model is named, as transformers.js keeps one
 * default per task. They live in the attn repository's models/ folder, not in this package: the NER
 * one is derived from CoNLL-2003 (Reuters text), which may not be redistributed in an npm package.
 */
export const DEFAULT_MODELS = {
  'text-classification': 'attn-bert-mini-sst2',
  'token-classification': 'attn-bert-mini-conll03',
  ner: 'attn-bert-mini-conll03',
  'question-answering': 'attn-bert-mini-squad',
  'text-generation': 'attn-gpt2-tiny',
} as const satisfies Partial<Record<PipelineTask, string>>;

/** No model was named and the default one is not on disk (a published install without the repository). */
export class DefaultModelError extends Error {
  override name = 'DefaultModelError';
}

export interface DefaultModelOptions {
  /** Folder holding the default models (default: env ATTN_MODELS_DIR, else the repository's models/). */
  modelsDir?: string;
}

/** models/ of the attn repository, found from this file: src/ (tests) and dist/ (built) both sit in packages/pipelines/. */
async function repositoryModelsDir(): Promise<string> {
  const [{ dirname, join }, { fileURLToPath }] = await Promise.all([import('node:path'), import('node:url')]);
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');
}

/**
 * The directory of `task`'s default model, e.g. `<repo>/models/attn-bert-mini-sst2`.
 * Throws DefaultModelError, one line saying what to pass instead, when it has no config.json there.
 */
export async function defaultModelDir(task: PipelineTask, opts: DefaultModelOptions = {}): Promise<string> {
  const name: string | undefined = (DEFAULT_MODELS as Partial<Record<PipelineTask, string>>)[task];
  if (name === undefined) throw new DefaultModelError(`pipeline('${task}') has no default model; pass a model directory, pipeline('${task}', 'path/to/model').`);
  const [{ join, resolve }, { access }] = await Promise.all([import('node:path'), import('node:fs/promises')]);
  const modelsDir = resolve(opts.modelsDir ?? (process.env.ATTN_MODELS_DIR || (await repositoryModelsDir())));
  const dir = join(modelsDir, name);
  try {
    await access(join(dir, 'config.json'));
  } catch {
    throw new DefaultModelError(
      `pipeline('${task}') has no model: its default ${name} is not in ${modelsDir} (the defaults ship with the attn repository's models/, not with the npm package); pass a model directory, pipeline('${task}', 'path/to/model'), or set ATTN_MODELS_DIR to a folder holding ${name}/.`,
    );
  }
  return dir;
}
