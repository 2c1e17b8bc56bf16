import { tf, embeddingsApplies, embeddingsInference, type EmbeddingsInferenceInputs, type Generator } from '@attn/tensor';
import { Module, Embedding, LayerNorm, Dropout } from '@attn/layers';
import type { BertConfig } from './bert_config';

/** Thrown when inputs do not fit the model (sequence too long, wrong rank). */
export class BertInputError extends Error {
  override name = 'BertInputError';
}

export interface BertEmbeddingsOptions {
  rng?: Generator;
  /** Width of the tables when it differs from hidden_size (ELECTRA's and ALBERT's embedding_size). */
  embeddingDim?: number;
  /** The position table's padding row (RoBERTa: pad_token_id), which then gets no gradient. */
  positionPaddingIdx?: number | null;
}

/**
 * LayerNorm(word + position + token type) then dropout (HF `embeddings`). Position ids are 0..seq-1;
 * a family with other position ids (RoBERTa) overrides `positionEmbeddings`.
 */
export class BertEmbeddings extends Module {
  readonly word_embeddings: Embedding;
  readonly position_embeddings: Embedding;
  readonly token_type_embeddings: Embedding;
  readonly LayerNorm: LayerNorm;
  readonly dropout: Dropout;
  readonly embeddingDim: number;

  constructor(
    readonly config: BertConfig,
    opts: BertEmbeddingsOptions = {},
  ) {
    super();
    const c = config;
    const dim = opts.embeddingDim ?? c.hiddenSize;
    this.embeddingDim = dim;
    const init = { initializerRange: c.initializerRange };
    this.word_embeddings = this.registerModule(
      'word_embeddings',
      new Embedding({ numEmbeddings: c.vocabSize, embeddingDim: dim, paddingIdx: c.padTokenId, ...init }, opts),
    );
    this.position_embeddings = this.registerModule(
      'position_embeddings',
      new Embedding({ numEmbeddings: c.maxPositionEmbeddings, embeddingDim: dim, paddingIdx: opts.positionPaddingIdx ?? null, ...init }, opts),
    );
    this.token_type_embeddings = this.registerModule(
      'token_type_embeddings',
      new Embedding({ numEmbeddings: c.typeVocabSize, embeddingDim: dim, ...init }, opts),
    );
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm({ normalizedShape: dim, eps: c.layerNormEps }));
    this.dropout = this.registerModule('dropout', new Dropout({ rate: c.hiddenDropoutProb }, opts));
  }

  /** Position ids for inputIds [batch, seq], int32 [batch, seq]; undefined: 0..seq-1 for every row (BERT). */
  protected positionIds(_inputIds: tf.Tensor): tf.Tensor | undefined {
    return undefined;
  }

  /** Position vectors for inputIds [batch, seq]: [seq, dim] (broadcast over the batch) or [batch, seq, dim]. */
  protected positionEmbeddings(inputIds: tf.Tensor, ids = this.positionIds(inputIds)): tf.Tensor {
    if (ids) return this.position_embeddings.forward(ids);
    const seq = inputIds.shape[1]!;
    // Positions 0..seq-1 are a contiguous slice: cheaper than a gather, and its gradient needs no segment sum.
    return tf.slice(this.position_embeddings.weight, [0, 0], [seq, this.embeddingDim]);
  }

  /**
   * Eval mode with no gradient recorded: the lookups, sums and LayerNorm as one kernel (EMBEDDINGS_KERNEL, registered
   * by @attn/tensor-native), with the same floats as the ops below; undefined when it does not apply.
   */
  private fusedForward(inputIds: tf.Tensor, tokenTypeIds: tf.Tensor | undefined): tf.Tensor | undefined {
    if (this.training || this.dropout.training || this.LayerNorm.training) return undefined;
    const plain = [this.word_embeddings, this.position_embeddings, this.token_type_embeddings].every((e) => Object.getPrototypeOf(e) === Embedding.prototype);
    if (!plain || Object.getPrototypeOf(this.LayerNorm) !== LayerNorm.prototype || inputIds.dtype !== 'int32') return undefined;
    if (tokenTypeIds && tokenTypeIds.dtype !== 'int32') return undefined;
    const inputs: EmbeddingsInferenceInputs = {
      inputIds,
      words: this.word_embeddings.weight,
      positions: this.position_embeddings.weight,
      types: this.token_type_embeddings.weight,
      tokenTypeIds: tokenTypeIds && this.config.typeVocabSize > 1 ? tokenTypeIds : undefined,
      gamma: this.LayerNorm.weight,
      beta: this.LayerNorm.bias,
      eps: this.LayerNorm.config.eps ?? 1e-12,
    };
    if (!embeddingsApplies(inputs)) return undefined;
    return tf.tidy(() => {
      const positionIds = this.positionIds(inputIds);
      return embeddingsInference({ ...inputs, positionIds });
    });
  }

  /** inputIds, tokenTypeIds: int32 [batch, seq] → [batch, seq, embeddingDim] */
  forward(inputIds: tf.Tensor, tokenTypeIds?: tf.Tensor): tf.Tensor {
    if (inputIds.rank !== 2) throw new BertInputError(`inputIds must be [batch, seq], got shape [${inputIds.shape.join(', ')}].`);
    const [batch, seq] = inputIds.shape as [number, number];
    const { maxPositionEmbeddings, typeVocabSize } = this.config;
    const hiddenSize = this.embeddingDim;
    if (seq > maxPositionEmbeddings) {
      throw new BertInputError(`Sequence length ${seq} exceeds max_position_embeddings ${maxPositionEmbeddings}; truncate the inputs.`);
    }
    const fused = this.fusedForward(inputIds, tokenTypeIds);
    if (fused) return fused;
    return tf.tidy(() => {
      const words = this.word_embeddings.forward(inputIds);
      const positions = this.positionEmbeddings(inputIds);
      // A one-hot product instead of a gather: the table has 2 rows and the gradient is a plain matmul.
      // The one-hot cast to float32 explicitly: matMul(int32, float32) casts both operands (the table
      // too). (oneHot(..., 'float32') is wrong on tfjs's wasm backend: it writes int bits.)
      // A one-row table (RoBERTa's type_vocab_size 1) has only id 0: its row is the answer (tfjs's oneHot needs depth >= 2).
      const typeIds = typeVocabSize > 1 && tokenTypeIds ? (tokenTypeIds.dtype === 'int32' ? tokenTypeIds : tf.cast(tokenTypeIds, 'int32')) : undefined;
      const types = typeIds
        ? tf.reshape(tf.matMul(tf.cast(tf.oneHot(tf.reshape(typeIds, [-1]), typeVocabSize), 'float32'), this.token_type_embeddings.weight), [batch, seq, hiddenSize])
        : tf.slice(this.token_type_embeddings.weight, [0, 0], [1, hiddenSize]);
      const sum = tf.add(tf.add(words, positions), types);
      return this.dropout.forward(this.LayerNorm.forward(sum));
    });
  }
}
