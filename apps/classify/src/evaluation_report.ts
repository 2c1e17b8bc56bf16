import { writeFileDurable } from '@attn/tensor/durable_write';
import { join } from 'node:path';
import type { ClassificationExample } from '@attn/data';
import { TextClassificationPipeline } from '@attn/pipelines';
import { accuracyScore, classificationReport, confusionMatrix, confusionMatrixSvg, renderConfusionMatrix } from '@attn/metrics';

export interface EvaluationResult {
  accuracy: number;
  report: string;
  yTrue: string[];
  yPred: string[];
}

/** Predicts every example and prints sklearn's classification report and a confusion matrix. */
export function evaluateExamples(pipe: TextClassificationPipeline, examples: ClassificationExample[]): EvaluationResult {
  const inputs = examples.map((e) => (e.textPair === undefined ? e.text : ([e.text, e.textPair] as [string, string])));
  const yPred = pipe.predict(inputs).map((r) => r.label);
  const yTrue = examples.map((e) => e.label!);
  const labels = pipe.labels;
  return { accuracy: accuracyScore(yTrue, yPred), report: classificationReport(yTrue, yPred, { labels, digits: 4 }) as string, yTrue, yPred };
}

/** Prints the report and the terminal confusion matrix; writes the SVG confusion matrix into dir. */
export async function writeEvaluation(name: string, result: EvaluationResult, labels: string[], dir: string, print: (s: string) => void): Promise<string> {
  const cm = confusionMatrix(result.yTrue, result.yPred, { labels });
  print(`\nClassification report (${name}):\n${result.report}`);
  print(`Confusion matrix (${name}; rows = true label, columns = predicted):\n${renderConfusionMatrix({ matrix: cm.matrix, labels })}`);
  const svgPath = join(dir, `confusion_matrix_${name}.svg`);
  await writeFileDurable(svgPath, confusionMatrixSvg({ matrix: cm.matrix, labels, title: `Confusion matrix (${name})` }));
  return svgPath;
}
