import { tf, type Generator } from '@attn/tensor';
import { Module, Embedding, LayerNorm, Dropout } from '@attn/layers';
import type { BertConfig } from './bert_config';

/** Thrown when inputs do not fit the model (sequence too long, wrong rank). */
export class BertInputError extends Error {
  override name = 'BertInputError';
}

/** LayerNorm(word + position + token type) then dropout (HF `embeddings`). Position ids are 0..seq-1. */
export class BertEmbeddings extends Module {
  readonly word_embeddings: Embedding;
  readonly position_embeddings: Embedding;
  readonly token_type_embeddings: Embedding;
  readonly LayerNorm: LayerNorm;
  readonly dropout: Dropout;

  constructor(
    readonly config: BertConfig,
    opts: { rng?: Generator } = {},
  ) {
    super();
    const c = config;
    const init = { initializerRange: c.initializerRange };
    this.word_embeddings = this.registerModule(
      'word_embeddings',
      new Embedding({ numEmbeddings: c.vocabSize, embeddingDim: c.hiddenSize, paddingIdx: c.padTokenId, ...init }, opts),
    );
    this.position_embeddings = this.registerModule(
      'position_embeddings',
      new Embedding({ numEmbeddings: c.maxPositionEmbeddings, embeddingDim: c.hiddenSize, ...init }, opts),
    );
    this.token_type_embeddings = this.registerModule(
      'token_type_embeddings',
      new Embedding({ numEmbeddings: c.typeVocabSize, embeddingDim: c.hiddenSize, ...init }, opts),
    );
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: c.hiddenSize, eps: c.layerNormEps }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: c.hiddenDropoutProb }, opts));
  }

  /** inputIds, tokenTypeIds: int32 [batch, seq] → [batch, seq, hidden] */
  forward(inputIds: tf.Tensor, tokenTypeIds?: tf.Tensor): tf.Tensor {
    if (inputIds.rank !== 2) throw new BertInputError(`inputIds must be [batch, seq], got shape [${inputIds.shape.join(', ')}].`);
    const [batch, seq] = inputIds.shape as [number, number];
    const { maxPositionEmbeddings, hiddenSize, typeVocabSize } = this.config;
    if (seq > maxPositionEmbeddings) {
      throw new BertInputError(`Sequence length ${seq} exceeds max_position_embeddings ${maxPositionEmbeddings}; truncate the inputs.`);
    }
    return tf.tidy(() => {
      const words = this.word_embeddings.forward(inputIds);
      // Positions 0..seq-1 are a contiguous slice: cheaper than a gather, and its gradient needs no segment sum.
      const positions = tf.slice(this.position_embeddings.weight, [0, 0], [seq, hiddenSize]);
      // A one-hot product instead of a gather: the table has 2 rows and the gradient is a plain matmul.
      // The one-hot cast to float32 explicitly: matMul(int32, float32) casts both operands (the table
      // too). (oneHot(..., 'float32') is wrong on tfjs's wasm backend: it writes int bits.)
      const typeIds = tokenTypeIds && (tokenTypeIds.dtype === 'int32' ? tokenTypeIds : tf.cast(tokenTypeIds, 'int32'));
      const types = typeIds
        ? tf.reshape(tf.matMul(tf.cast(tf.oneHot(tf.reshape(typeIds, [-1]), typeVocabSize), 'float32'), this.token_type_embeddings.weight), [batch, seq, hiddenSize])
        : tf.slice(this.token_type_embeddings.weight, [0, 0], [1, hiddenSize]);
      const sum = tf.add(tf.add(words, positions), types);
      return this.dropout.forward(this.LayerNorm.forward(sum));
    });
  }
}
