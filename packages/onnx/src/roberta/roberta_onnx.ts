import { configNumber, key, type OnnxExportContext, type OnnxExporter } from '../onnx_exporter';
import { int } from '../onnx_graph';
import { linear } from '../layers/linear';
import { layerNorm } from '../layers/layer_norm';
import { activation } from '../layers/activation';
import { additiveAttentionMask } from '../layers/attention_mask';
import { firstToken, lastHiddenStateOutput, logitsOutput, outFeatures, questionAnsweringOutputs, unsupportedTask } from '../layers/task_outputs';
import { BERT_TASKS, bertEmbeddings, bertEncoder, checkAbsolutePositions, encoderInputs, mlmDecoder } from '../bert/bert_onnx';

/**
 * fairseq's position ids: each non-padding token counts from pad_token_id + 1, padding keeps pad_token_id
 * (HF create_position_ids_from_input_ids) → [batch, seq].
 */
export function robertaPositionIds(ctx: OnnxExportContext, inputIds: string): string {
  const g = ctx.graph;
  const pad = configNumber(ctx, 'pad_token_id', 1);
  return g.scope('position_ids', () => {
    const notPad = g.op1('Cast', [g.op1('Not', [g.op1('Equal', [inputIds, g.int64([pad], [])])])], { to: int(7) });
    const counted = g.op1('Mul', [g.op1('CumSum', [notPad, g.int64([1], [])]), notPad]);
    return g.op1('Add', [counted, g.int64([pad], [])]);
  });
}

/** The classification head `classifier`: out_proj(act(dense(h[:, 0]))), tanh for RoBERTa, gelu for ELECTRA. */
export function robertaClassificationHead(ctx: OnnxExportContext, hidden: string, act: string): string {
  const { graph: g, weights: w } = ctx;
  return linear(g, w, activation(g, linear(g, w, firstToken(ctx, hidden), 'classifier.dense'), act), 'classifier.out_proj');
}

/** The heads RoBERTa and ELECTRA share (classification head in `classifier.dense` / `classifier.out_proj`). */
export function robertaStyleHeads(ctx: OnnxExportContext, hidden: string, classifierAct: string, mlmLogits?: () => string): void {
  const { graph: g, weights: w } = ctx;
  switch (ctx.task) {
    case 'base':
      return lastHiddenStateOutput(ctx, hidden, configNumber(ctx, 'hidden_size'));
    case 'sequence-classification':
      return logitsOutput(ctx, robertaClassificationHead(ctx, hidden, classifierAct), outFeatures(ctx, 'classifier.out_proj'));
    case 'token-classification':
      return logitsOutput(ctx, linear(g, w, hidden, 'classifier'), outFeatures(ctx, 'classifier'));
    case 'question-answering':
      return questionAnsweringOutputs(ctx, linear(g, w, hidden, 'qa_outputs'));
    case 'masked-lm':
      if (mlmLogits) return logitsOutput(ctx, mlmLogits(), configNumber(ctx, 'vocab_size'));
    // falls through: the family has no MLM head
    default:
      return unsupportedTask(ctx, mlmLogits ? BERT_TASKS : BERT_TASKS.filter((t) => t !== 'masked-lm'));
  }
}

/** RoBERTa: BERT's encoder with fairseq position ids; inputs input_ids, attention_mask (as HF Optimum's RoBERTa config). */
export const robertaOnnx: OnnxExporter = {
  modelType: 'roberta',
  tasks: BERT_TASKS,
  build(ctx) {
    checkAbsolutePositions(ctx);
    const { graph: g, weights: w } = ctx;
    const ids = encoderInputs(ctx, false);
    const embedded = bertEmbeddings(ctx, ids, robertaPositionIds(ctx, ids.inputIds));
    const hidden = bertEncoder(ctx, embedded, additiveAttentionMask(g, ids.attentionMask));
    robertaStyleHeads(ctx, hidden, 'tanh', () => {
      // HF RobertaLMHead: layer_norm(gelu(dense(h))) then the decoder tied to the word embeddings, plus bias.
      const t = layerNorm(g, w, activation(g, linear(g, w, hidden, 'lm_head.dense'), 'gelu'), 'lm_head.layer_norm', configNumber(ctx, 'layer_norm_eps', 1e-12));
      return mlmDecoder(ctx, t, 'lm_head.decoder', 'lm_head.bias', key(ctx, 'embeddings.word_embeddings.weight'));
    });
  },
};
