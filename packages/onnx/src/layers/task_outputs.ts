import { int } from '../onnx_graph';
import type { OnnxExportContext } from '../onnx_exporter';
import { OnnxExportError } from '../onnx_errors';

/** hidden[:, 0]: the first token's vector [batch, hidden] (BERT's [CLS], RoBERTa's <s>). */
export function firstToken(ctx: OnnxExportContext, hidden: string): string {
  const g = ctx.graph;
  return g.op1('Gather', [hidden, g.int64([0], [])], { axis: int(1) });
}

/** [batch, seq, 2] from qa_outputs → outputs start_logits and end_logits [batch, seq], as HF Optimum names them. */
export function questionAnsweringOutputs(ctx: OnnxExportContext, logits: string): void {
  const g = ctx.graph;
  const start = g.op1('Gather', [logits, g.int64([0], [])], { axis: int(2) });
  const end = g.op1('Gather', [logits, g.int64([1], [])], { axis: int(2) });
  g.output('start_logits', start, 'float32', [ctx.batch, ctx.sequence]);
  g.output('end_logits', end, 'float32', [ctx.batch, ctx.sequence]);
}

/** Declares `logits` with its task's shape: [batch, labels], [batch, seq, labels] or [batch, seq, vocab]. */
export function logitsOutput(ctx: OnnxExportContext, logits: string, width: number): void {
  const perToken = ctx.task === 'token-classification' || ctx.task === 'masked-lm' || ctx.task === 'causal-lm';
  ctx.graph.output('logits', logits, 'float32', perToken ? [ctx.batch, ctx.sequence, width] : [ctx.batch, width]);
}

/** The last hidden state of a bare base model (HF Optimum's feature-extraction output). */
export function lastHiddenStateOutput(ctx: OnnxExportContext, hidden: string, hiddenSize: number): void {
  ctx.graph.output('last_hidden_state', hidden, 'float32', [ctx.batch, ctx.sequence, hiddenSize]);
}

/** The number of labels a classifier weight has ([labels, hidden] in torch layout). */
export function outFeatures(ctx: OnnxExportContext, linearKey: string): number {
  return ctx.weights.get(`${linearKey}.weight`).dims[0]!;
}

export function unsupportedTask(ctx: OnnxExportContext, tasks: readonly string[]): never {
  throw new OnnxExportError(`${ctx.architecture}: no ONNX graph for task ${ctx.task}; this family exports ${tasks.join(', ')}.`);
}
