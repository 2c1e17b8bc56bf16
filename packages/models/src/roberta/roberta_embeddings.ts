import { tf } from '@attn/tensor';
import { BertEmbeddings, BertInputError } from '../bert/bert_embeddings';

/**
 * BERT's embeddings with fairseq's position ids: each non-padding token counts from pad_token_id + 1, padding
 * keeps position pad_token_id (whose row gets no gradient). max_position_embeddings is therefore
 * pad_token_id + 1 larger than the longest sequence (514 for 512 tokens).
 */
export class RobertaEmbeddings extends BertEmbeddings {
  protected override positionIds(inputIds: tf.Tensor): tf.Tensor {
    const pad = this.config.padTokenId!;
    const seq = inputIds.shape[1]!;
    if (seq + pad + 1 > this.config.maxPositionEmbeddings) {
      throw new BertInputError(
        `Sequence length ${seq} exceeds ${this.config.maxPositionEmbeddings - pad - 1} (max_position_embeddings ${this.config.maxPositionEmbeddings} minus pad_token_id + 1); truncate the inputs.`,
      );
    }
    return tf.tidy(() => {
      const ids = inputIds.dtype === 'int32' ? inputIds : tf.cast(inputIds, 'int32');
      const notPad = tf.cast(tf.notEqual(ids, tf.scalar(pad, 'int32')), 'int32');
      return tf.add(tf.mul(tf.cumsum(notPad, 1), notPad), tf.scalar(pad, 'int32'));
    });
  }
}
