// One model per task, built on demand from the page's checkpoint; a head the checkpoint lacks starts random.
import {
  BertForQuestionAnswering,
  BertForSequenceClassification,
  BertForTokenClassification,
  fromPretrainedBytes,
  type BertTaskModel,
  type PretrainedBytes,
} from '@attn/models';

export type PlaygroundTask = 'classification' | 'ner' | 'qa';

const CLASSES = {
  classification: BertForSequenceClassification,
  ner: BertForTokenClassification,
  qa: BertForQuestionAnswering,
} as const;

const ARCHITECTURES: Record<PlaygroundTask, string> = {
  classification: 'BertForSequenceClassification',
  ner: 'BertForTokenClassification',
  qa: 'BertForQuestionAnswering',
};

// CoNLL-2003's tags, for a token-classification head created from a checkpoint that has none.
const CONLL_LABELS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];

export class TaskModels {
  private readonly models = new Map<PlaygroundTask, BertTaskModel>();
  private readonly architectures: string[];

  constructor(readonly checkpoint: PretrainedBytes) {
    const json = typeof checkpoint.config === 'string' ? JSON.parse(checkpoint.config) : checkpoint.config;
    this.architectures = Array.isArray(json.architectures) ? json.architectures : [];
  }

  /** True when the checkpoint was trained for this task (else its head is freshly initialised). */
  hasHead(task: PlaygroundTask): boolean {
    return this.architectures.includes(ARCHITECTURES[task]);
  }

  get(task: PlaygroundTask): BertTaskModel {
    let model = this.models.get(task);
    if (!model) {
      const native = this.hasHead(task);
      const extra = task === 'ner' && !native ? { id2label: Object.fromEntries(CONLL_LABELS.map((l, i) => [i, l])) } : {};
      model = fromPretrainedBytes(CLASSES[task] as typeof BertForSequenceClassification, this.checkpoint, { quiet: true, ignoreMismatchedSizes: true, seed: 0, ...extra });
      this.models.set(task, model);
    }
    return model;
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }
}
