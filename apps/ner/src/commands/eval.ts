import { writeFileDurableSync } from '@attn/tensor/durable_write';
import type { Command } from 'commander';
import { ArrayDataset, DataLoader, LabelMap, prepareTokenClassificationFeatures, tokenClassificationCollator } from '@attn/data';
import { Trainer } from '@attn/trainer';
import { assertTrainedModelDir, encodingFlag, loadTrainedModel, maxLengthFlag, numberFlag, registerEvalCommand, startBackend, onErrorFlag } from '@attn/cli';
import { addConllOptions, inputSchemeFlag, readConllFile } from '../conll_file';
import { entityReport, flatMetrics, tagSequences } from '../entity_metrics';

export interface NerEvalFlags {
  model: string;
  data: string;
  tagColumn: string;
  columns?: string;
  inputScheme: string;
  onError: string;
  maxLength: string;
  batchSize: string;
  json?: boolean;
  reportOut?: string;
  /** How the CoNLL file is decoded: utf8 (default, strict) or latin1. */
  encoding?: string;
  backend?: string;
  /** Dynamic int8 quantization of the Linear layers after loading. */
  int8?: boolean;
}

/** Scores a trained model on a CoNLL file; returns the flat metrics (f1, precision, recall, accuracy, f1_<TYPE>). */
export async function evalNer(flags: NerEvalFlags): Promise<Record<string, number>> {
  assertTrainedModelDir(flags.model, 'token-classification', 'ner');
  const inputScheme = inputSchemeFlag(flags.inputScheme);
  const maxLength = maxLengthFlag(flags.maxLength, { model: flags.model });
  const batchSize = numberFlag('batch-size', flags.batchSize, { int: true, min: 1 });
  const encoding = encodingFlag(flags.encoding);
  const onError = onErrorFlag(flags.onError);
  await startBackend(flags.backend);
  const { model, tokenizer } = await loadTrainedModel(flags.model, 'token-classification', { int8: flags.int8 });
  try {
    const labels = LabelMap.fromConfig({ id2label: model.config.id2label as Record<string, string> }, `${flags.model}/config.json`);
    const examples = await readConllFile(flags.data, {
      tagColumn: flags.tagColumn,
      columns: flags.columns,
      inputScheme,
      onError,
      labels,
      encoding,
    });
    const features = prepareTokenClassificationFeatures(tokenizer, examples, { labelMap: labels, maxLength });
    const loader = new DataLoader(new ArrayDataset(features), { batchSize, collate: tokenClassificationCollator({ padTokenId: tokenizer.padTokenId ?? 0 }) });
    const out = await new Trainer({ model, args: { outputDir: flags.model, disableTqdm: true } }).predict(loader);
    const report = entityReport(tagSequences(out, labels));
    const metrics = flatMetrics(report);
    if (flags.reportOut) writeFileDurableSync(flags.reportOut, report.text);
    if (flags.json) process.stdout.write(JSON.stringify({ sentences: examples.length, ...metrics, report: report.dict }) + '\n');
    else process.stdout.write(`${flags.data}: ${examples.length} sentences, entity F1 ${(100 * metrics.f1!).toFixed(2)}\n${report.text}\n`);
    return metrics;
  } finally {
    model.dispose();
  }
}

export function registerEval(program: Command): void {
  registerEvalCommand<NerEvalFlags>(program, {
    description: 'seqeval entity report (per type, micro / macro / weighted) of a trained model on a CoNLL file',
    dataHelp: 'CoNLL file with gold tags',
    options: (cmd) =>
      addConllOptions(cmd)
        .option('--max-length <n>', 'sub-tokens per sentence', '128')
        .option('--batch-size <n>', 'sentences per batch', '64')
        .option('--report-out <file>', 'also write the text report here'),
    badInput: 'malformed sentences or unknown tags',
    run: evalNer,
  });
}
