import { tf } from '@attn/tensor';
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';
import { classificationCollator, prepareClassificationFeature } from '@attn/data';
import { readAsync, readSync, type ReadSteps } from './read_back';

const INPUT = { file: '<input>' };

export interface TextClassificationResult {
  /** The most probable label. */
  label: string;
  score: number;
  /** Every label's probability (softmax of the logits), in id order. */
  scores: Array<{ label: string; score: number }>;
}

export interface TextClassificationOptions {
  /** Longer texts are truncated (default 128). */
  maxLength?: number;
  /** Texts run through the model this many at a time (default 32). */
  batchSize?: number;
  /** Receives one message per call when some texts reached maxLength tokens and were cut. Default: console.warn. */
  onWarning?: (message: string) => void;
}

/** Text (or text pair) → label and probabilities, as HF's `pipeline('text-classification')`. */
export class TextClassificationPipeline {
  readonly task = 'text-classification';
  private readonly maxLength: number;
  private readonly batchSize: number;
  private readonly onWarning: (message: string) => void;

  constructor(
    readonly model: TaskModel,
    readonly tokenizer: Tokenizer,
    opts: TextClassificationOptions = {},
  ) {
    this.maxLength = opts.maxLength ?? 128;
    this.batchSize = opts.batchSize ?? 32;
    this.onWarning = opts.onWarning ?? ((m) => console.warn(m));
    model.eval();
  }

  get labels(): string[] {
    const id2label = this.model.config.id2label ?? {};
    const n = this.model.config.numLabels;
    return Array.from({ length: n }, (_, i) => id2label[i] ?? `LABEL_${i}`);
  }

  /** Probabilities [n, numLabels] for the texts, row-major. Reads back with dataSync(): on webgpu use probabilitiesAsync. */
  probabilities(texts: ReadonlyArray<string | [string, string]>): Float32Array[] {
    return readSync(this.probabilitySteps(texts));
  }

  /** probabilities() with asynchronous read-backs: the one to use on webgpu (and in a browser's main thread). */
  probabilitiesAsync(texts: ReadonlyArray<string | [string, string]>): Promise<Float32Array[]> {
    return readAsync(this.probabilitySteps(texts));
  }

  private *probabilitySteps(texts: ReadonlyArray<string | [string, string]>): ReadSteps<Float32Array[]> {
    const collate = classificationCollator({ padTokenId: this.tokenizer.padTokenId ?? 0 });
    const out: Float32Array[] = [];
    const cut: number[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const chunk = texts.slice(start, start + this.batchSize);
      const features = chunk.map((t) =>
        prepareClassificationFeature(this.tokenizer, typeof t === 'string' ? { text: t, source: INPUT } : { text: t[0], textPair: t[1], source: INPUT }, {
          maxLength: this.maxLength,
        }),
      );
      features.forEach((f, i) => void (f.inputIds.length >= this.maxLength && cut.push(start + i)));
      const batch = collate(features);
      try {
        const probs = tf.tidy(() => tf.softmax(this.model.forward(batch).logits!, -1));
        const n = probs.shape[1]!;
        let data: Float32Array;
        try {
          [data] = (yield [probs]) as [Float32Array];
        } finally {
          probs.dispose();
        }
        for (let i = 0; i < chunk.length; i++) out.push(data.slice(i * n, (i + 1) * n));
      } finally {
        tf.dispose(Object.values(batch));
      }
    }
    if (cut.length > 0) {
      const which = cut.slice(0, 5).join(', ') + (cut.length > 5 ? `, … (${cut.length} in all)` : '');
      this.onWarning(`text-classification: input(s) ${which} reached maxLength ${this.maxLength} tokens; anything longer was truncated. Pass a larger maxLength (up to the model's max_position_embeddings) to see more of each text.`);
    }
    return out;
  }

  predict(texts: ReadonlyArray<string | [string, string]>): TextClassificationResult[] {
    return this.probabilities(texts).map((p) => this.result(p));
  }

  /** predict() with asynchronous read-backs (webgpu). */
  async predictAsync(texts: ReadonlyArray<string | [string, string]>): Promise<TextClassificationResult[]> {
    return (await this.probabilitiesAsync(texts)).map((p) => this.result(p));
  }

  private result(p: Float32Array): TextClassificationResult {
    const labels = this.labels;
    let best = 0;
    for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
    return {
      label: labels[best]!,
      score: p[best]!,
      scores: Array.from(p, (score, j) => ({ label: labels[j]!, score })),
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
