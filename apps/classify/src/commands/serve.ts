import type { Command, Option } from 'commander';
import { pipeline } from '@attn/pipelines';
import { textClassificationPredictor } from '@attn/serve';
import { assertModelDir, assertModelTask, maxLengthFlag, registerServeCommand, type ServeFlags } from '@attn/cli';
import { TRAIN_DEFAULTS } from '../train_config';
import { CLASSIFIER_DIR_MESSAGES } from '../model_source';

export interface ClassifyServeFlags extends ServeFlags {
  maxLength: string;
}

/** `attn-classify serve`: the model behind POST /predict until SIGTERM or SIGINT. */
export function registerServe(program: Command, backendOption: () => Option): void {
  registerServeCommand<ClassifyServeFlags>(program, {
    description: 'serve the model over HTTP: POST /predict {"text"} or {"inputs": [...]} (same JSON as predict --json), GET /health, GET /model',
    modelHelp: 'model directory',
    items: 'texts',
    options: (command) => command.option('--max-length <n>', 'tokens per text', String(TRAIN_DEFAULTS.maxLength)),
    backendOption,
    validate: (flags) => {
      assertModelDir(flags.model, CLASSIFIER_DIR_MESSAGES);
      assertModelTask(flags.model, 'sequence-classification', 'classify');
      // Texts are truncated to --max-length tokens, so no request can exceed the model's positions.
      maxLengthFlag(flags.maxLength, { model: flags.model });
    },
    makePredictor: async (flags) => {
      const pipe = await pipeline('text-classification', flags.model, { maxLength: maxLengthFlag(flags.maxLength), int8: flags.int8 });
      return { predictor: textClassificationPredictor(pipe), dispose: () => pipe.dispose() };
    },
  });
}
