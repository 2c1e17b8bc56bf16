import { loadModel, quantize, type ModelTask, type TaskModel } from '@attn/models';
import { loadTokenizer } from '@attn/pipelines';
import type { Tokenizer } from '@attn/tokenizers';
import { assertModelDir } from './model_dir';
import { presetModelDirMessages } from './model_source';
import { assertModelTask } from './model_task';

/**
 * `--model <dir>` of an eval, predict or serve command, checked before anything loads: a directory without
 * config.json or weights, or one trained for another task, is a one-line error naming the flag (and what `app` needs).
 */
export function assertTrainedModelDir(dir: string, task: ModelTask, app: string, flag = '--model'): void {
  assertModelDir(dir, presetModelDirMessages(dir, flag));
  assertModelTask(dir, task, app, flag);
}

/**
 * A trained model directory's `task` model and the tokenizer saved beside it; `int8`: its Linear layers quantized
 * dynamically (`--int8`). The caller disposes the model.
 */
export async function loadTrainedModel(dir: string, task: ModelTask, opts: { int8?: boolean } = {}): Promise<{ model: TaskModel; tokenizer: Tokenizer }> {
  const model = await loadModel(dir, { task });
  try {
    const tokenizer = await loadTokenizer(dir);
    if (opts.int8) quantize(model);
    return { model, tokenizer };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
