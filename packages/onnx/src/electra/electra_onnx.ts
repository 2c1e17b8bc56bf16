import { key, type OnnxExporter } from '../onnx_exporter';
import { linear } from '../layers/linear';
import { additiveAttentionMask, positionIds } from '../layers/attention_mask';
import { BERT_TASKS, bertEmbeddings, bertEncoder, checkAbsolutePositions, encoderInputs } from '../bert/bert_onnx';
import { robertaStyleHeads } from '../roberta/roberta_onnx';

/** ELECTRA (discriminator): BERT's embeddings at embedding_size, `embeddings_project` up to hidden_size, BERT's encoder. */
export const electraOnnx: OnnxExporter = {
  modelType: 'electra',
  tasks: BERT_TASKS.filter((t) => t !== 'masked-lm'),
  build(ctx) {
    checkAbsolutePositions(ctx);
    const { graph: g, weights: w } = ctx;
    const ids = encoderInputs(ctx, true);
    let x = bertEmbeddings(ctx, ids, positionIds(g, ids.inputIds));
    // Present only when embedding_size differs from hidden_size.
    if (w.has(key(ctx, 'embeddings_project.weight'))) x = linear(g, w, x, key(ctx, 'embeddings_project'));
    const hidden = bertEncoder(ctx, x, additiveAttentionMask(g, ids.attentionMask));
    robertaStyleHeads(ctx, hidden, 'gelu');
  },
};
