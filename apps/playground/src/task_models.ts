// One model per task, built on demand: from the task's own default checkpoint (fetched the first time the task
// runs) or from the page's checkpoint, where a head the checkpoint lacks starts random.
// Family-neutral: config.json's model_type picks the family through @attn/models' registry.
import { findArchitecture, loadModelFromBytes, type ModelTask, type PretrainedBytes, type TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';

export type PlaygroundTask = 'classification' | 'ner' | 'qa';

/** A checkpoint in memory plus its tokenizer, and a line telling the user what it is. */
export interface LoadedCheckpoint {
  checkpoint: PretrainedBytes;
  tokenizerJson: string;
  tokenizer: Tokenizer;
  description: string;
  /** Tasks served by a checkpoint of their own, fetched when the task first runs (the bundled defaults). */
  taskDefaults?: Partial<Record<PlaygroundTask, () => Promise<LoadedCheckpoint>>>;
}

const MODEL_TASKS: Record<PlaygroundTask, ModelTask> = {
  classification: 'sequence-classification',
  ner: 'token-classification',
  qa: 'question-answering',
};

// CoNLL-2003's tags, for a token-classification head created from a checkpoint that has none.
const CONLL_LABELS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];

function checkpointTasks(checkpoint: PretrainedBytes): Set<ModelTask> {
  const json = typeof checkpoint.config === 'string' ? JSON.parse(checkpoint.config) : checkpoint.config;
  const architectures: unknown[] = Array.isArray(json.architectures) ? json.architectures : [];
  return new Set(architectures.flatMap((a) => (typeof a === 'string' ? [findArchitecture(a)?.cls.task] : [])).filter((t): t is ModelTask => t !== undefined));
}

export class TaskModels {
  private readonly models = new Map<PlaygroundTask, TaskModel>();
  private readonly fetched = new Map<PlaygroundTask, LoadedCheckpoint>();

  constructor(readonly page: LoadedCheckpoint) {}

  /** Fetches the task's own default checkpoint the first time; nothing to do for a task the page's checkpoint serves. */
  async prepare(task: PlaygroundTask): Promise<void> {
    const load = this.page.taskDefaults?.[task];
    if (load && !this.fetched.has(task)) this.fetched.set(task, await load());
  }

  /** The checkpoint serving `task`; a task with its own default must be prepared first. */
  source(task: PlaygroundTask): LoadedCheckpoint {
    if (!this.page.taskDefaults?.[task]) return this.page;
    const own = this.fetched.get(task);
    if (!own) throw new Error(`the ${task} model is not loaded yet; await prepare('${task}') first.`);
    return own;
  }

  /** True while `task` waits for its own checkpoint to be fetched. */
  pending(task: PlaygroundTask): boolean {
    return this.page.taskDefaults?.[task] !== undefined && !this.fetched.has(task);
  }

  /** True when the checkpoint serving the task was trained for it (else its head is freshly initialised). */
  hasHead(task: PlaygroundTask): boolean {
    return this.pending(task) || checkpointTasks(this.source(task).checkpoint).has(MODEL_TASKS[task]);
  }

  tokenizer(task: PlaygroundTask): Tokenizer {
    return this.source(task).tokenizer;
  }

  get(task: PlaygroundTask): TaskModel {
    let model = this.models.get(task);
    if (!model) {
      const native = this.hasHead(task);
      const extra = task === 'ner' && !native ? { id2label: Object.fromEntries(CONLL_LABELS.map((l, i) => [i, l])) } : {};
      model = loadModelFromBytes(this.source(task).checkpoint, { task: MODEL_TASKS[task], quiet: true, ignoreMismatchedSizes: true, seed: 0, ...extra });
      this.models.set(task, model);
    }
    return model;
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }
}
