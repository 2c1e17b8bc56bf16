import { BertConfig } from './bert_config';
import { BertForSequenceClassification } from './bert_for_sequence_classification';
import { BertForTokenClassification } from './bert_for_token_classification';
import { BertForQuestionAnswering } from './bert_for_question_answering';
import { BertForMaskedLM } from './bert_for_masked_lm';
import { UnsupportedArchitectureError } from './checkpoint_errors';
import { joinPath } from './model_files';
import type { BertInitOptions, FromPretrainedOptions } from './bert_pretrained_model';

export type BertTask = 'sequence-classification' | 'token-classification' | 'question-answering' | 'masked-lm';

/** A BERT model with a task head: what the trainer and the apps work with. */
export type BertTaskModel = BertForSequenceClassification | BertForTokenClassification | BertForQuestionAnswering | BertForMaskedLM;

const TASK_CLASSES = {
  'sequence-classification': BertForSequenceClassification,
  'token-classification': BertForTokenClassification,
  'question-answering': BertForQuestionAnswering,
  'masked-lm': BertForMaskedLM,
} as const;

// HF architecture names → task; BertForPreTraining checkpoints (e.g. Google's originals) carry the MLM head.
const ARCHITECTURE_TASKS: Record<string, BertTask> = {
  BertForSequenceClassification: 'sequence-classification',
  BertForTokenClassification: 'token-classification',
  BertForQuestionAnswering: 'question-answering',
  BertForMaskedLM: 'masked-lm',
  BertForPreTraining: 'masked-lm',
};

/** A freshly initialised model for a task. */
export function createModel(task: BertTask, config: BertConfig, opts: BertInitOptions = {}): BertTaskModel {
  const cls = TASK_CLASSES[task];
  if (!cls) throw new UnsupportedArchitectureError(`Unknown task "${task}"; known: ${Object.keys(TASK_CLASSES).join(', ')}.`);
  return new cls(config, opts);
}

/**
 * Loads an HF BERT directory with the head named by config.json's `architectures`, or with the head for
 * `opts.task` (needed for a bare BertModel checkpoint: the head is then freshly initialised).
 */
export async function loadModel(dir: string, opts: FromPretrainedOptions & { task?: BertTask } = {}): Promise<BertTaskModel> {
  let task = opts.task;
  if (!task) {
    const config = await BertConfig.fromFile(joinPath(dir, 'config.json'));
    const arch = config.architectures?.find((a) => a in ARCHITECTURE_TASKS);
    if (!arch) {
      throw new UnsupportedArchitectureError(
        `${joinPath(dir, 'config.json')}: architectures ${JSON.stringify(config.architectures ?? [])} names no BERT task head; ` +
          `pass { task: 'sequence-classification' | 'token-classification' | 'question-answering' | 'masked-lm' }.`,
      );
    }
    task = ARCHITECTURE_TASKS[arch]!;
  }
  const cls = TASK_CLASSES[task];
  if (!cls) throw new UnsupportedArchitectureError(`Unknown task "${task}"; known: ${Object.keys(TASK_CLASSES).join(', ')}.`);
  return (cls as typeof BertForSequenceClassification).fromPretrained(dir, opts);
}
