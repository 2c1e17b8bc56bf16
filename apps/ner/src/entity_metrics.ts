import { IGNORE_INDEX, type LabelMap } from '@attn/data';
import type { EvalPrediction } from '@attn/trainer';
import { argmaxRows, seqevalClassificationReport, seqevalAccuracy, type SeqevalReportDict } from '@attn/metrics';

/** Gold and predicted tag sequences, one per sentence, over the positions that carry a label. */
export interface TagSequencePair {
  yTrue: string[][];
  yPred: string[][];
}

/**
 * Token logits [N, S, L] and labels [N, S] (concatenated over batches by the Trainer, shorter
 * sequences padded with -100) → word-level tag sequences: only positions whose label is not -100
 * (each word's first sub-token) count, as HF's run_ner compute_metrics.
 */
export function tagSequences(p: EvalPrediction, labels: LabelMap): TagSequencePair {
  const logits = p.predictions.logits;
  const gold = p.labelIds.labels;
  const yTrue: string[][] = [];
  const yPred: string[][] = [];
  if (!logits || !gold) return { yTrue, yPred };
  const [rows, seq, numLabels] = logits.shape as [number, number, number];
  const goldSeq = gold.shape[1]!;
  const predicted = argmaxRows(logits.data, numLabels); // [rows * seq]
  for (let r = 0; r < rows; r++) {
    const t: string[] = [];
    const pr: string[] = [];
    for (let s = 0; s < Math.min(seq, goldSeq); s++) {
      const g = gold.data[r * goldSeq + s]!;
      if (g === IGNORE_INDEX) continue;
      t.push(labels.label(g));
      pr.push(labels.label(predicted[r * seq + s]!));
    }
    yTrue.push(t);
    yPred.push(pr);
  }
  return { yTrue, yPred };
}

export interface EntityReport {
  text: string;
  dict: SeqevalReportDict;
  accuracy: number;
}

/** seqeval's report (conlleval-compatible default mode) as text and as numbers. */
export function entityReport(pair: TagSequencePair): EntityReport {
  return {
    text: seqevalClassificationReport(pair.yTrue, pair.yPred, { digits: 4, zeroDivision: 0 }),
    dict: seqevalClassificationReport(pair.yTrue, pair.yPred, { outputDict: true, zeroDivision: 0 }),
    accuracy: seqevalAccuracy(pair.yTrue, pair.yPred),
  };
}

/** Flat metrics for the Trainer: precision / recall / f1 (micro), accuracy, and f1_<TYPE> per entity type. */
export function flatMetrics(report: EntityReport): Record<string, number> {
  const micro = report.dict['micro avg'] ?? { precision: 0, recall: 0, 'f1-score': 0, support: 0 };
  const out: Record<string, number> = { precision: micro.precision, recall: micro.recall, f1: micro['f1-score'], accuracy: report.accuracy };
  for (const [name, row] of Object.entries(report.dict)) if (!name.endsWith(' avg')) out[`f1_${name}`] = row['f1-score'];
  return out;
}
