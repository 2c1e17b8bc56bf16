// One model per task, built on demand from the page's checkpoint; a head the checkpoint lacks starts random.
// Family-neutral: config.json's model_type picks the family through @attn/models' registry.
import { findArchitecture, loadModelFromBytes, type ModelTask, type PretrainedBytes, type TaskModel } from '@attn/models';

export type PlaygroundTask = 'classification' | 'ner' | 'qa';

const MODEL_TASKS: Record<PlaygroundTask, ModelTask> = {
  classification: 'sequence-classification',
  ner: 'token-classification',
  qa: 'question-answering',
};

// CoNLL-2003's tags, for a token-classification head created from a checkpoint that has none.
const CONLL_LABELS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];

export class TaskModels {
  private readonly models = new Map<PlaygroundTask, TaskModel>();
  private readonly tasks: ReadonlySet<ModelTask>;

  constructor(readonly checkpoint: PretrainedBytes) {
    const json = typeof checkpoint.config === 'string' ? JSON.parse(checkpoint.config) : checkpoint.config;
    const architectures: unknown[] = Array.isArray(json.architectures) ? json.architectures : [];
    this.tasks = new Set(architectures.flatMap((a) => (typeof a === 'string' ? [findArchitecture(a)?.cls.task] : [])).filter((t): t is ModelTask => t !== undefined));
  }

  /** True when the checkpoint was trained for this task (else its head is freshly initialised). */
  hasHead(task: PlaygroundTask): boolean {
    return this.tasks.has(MODEL_TASKS[task]);
  }

  get(task: PlaygroundTask): TaskModel {
    let model = this.models.get(task);
    if (!model) {
      const native = this.hasHead(task);
      const extra = task === 'ner' && !native ? { id2label: Object.fromEntries(CONLL_LABELS.map((l, i) => [i, l])) } : {};
      model = loadModelFromBytes(this.checkpoint, { task: MODEL_TASKS[task], quiet: true, ignoreMismatchedSizes: true, seed: 0, ...extra });
      this.models.set(task, model);
    }
    return model;
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }
}
