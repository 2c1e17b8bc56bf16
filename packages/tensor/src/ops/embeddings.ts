// The embeddings of a BERT-style encoder as one kernel, for inference: a backend that registers EMBEDDINGS_KERNEL
// (@attn/tensor-native, for wasm) runs the lookups, the sums and the LayerNorm in one native call instead of the
// ~10 tfjs kernels of the unfused path. No gradient: callers use it only when none is being recorded.
import { tf } from '../tf';
import { recordingGradients } from '../kernels/wasm_internals';
import { fusedInferenceEnabled } from './encoder_layer';

/**
 * y [b, s, dim] = LayerNorm((words[ids] + positions[positionIds ?? 0..s-1]) + types[tokenTypeIds ?? 0]).
 * Inputs { ids int32 [b, s], words [vocab, dim], positions [npos, dim], positionIds? int32 [b, s], types? [ntypes, dim],
 * typeIds? int32 [b, s], gamma [dim], beta [dim] }; attrs { eps }.
 */
export const EMBEDDINGS_KERNEL = 'AttnEmbeddings';

export interface EmbeddingsInferenceInputs {
  inputIds: tf.Tensor;
  words: tf.Tensor;
  positions: tf.Tensor;
  /** int32 [b, s]; absent: position j for token j. */
  positionIds?: tf.Tensor;
  /** The token-type table; absent: no type term. */
  types?: tf.Tensor;
  /** int32 [b, s]; absent (with a type table): row 0. */
  tokenTypeIds?: tf.Tensor;
  gamma: tf.Tensor;
  beta: tf.Tensor;
  eps: number;
}

const isInt = (t: tf.Tensor | undefined, shape: number[]): boolean => !t || (t.dtype === 'int32' && tf.util.arraysEqual(t.shape, shape));
const isTable = (t: tf.Tensor | undefined, dim: number): boolean => !t || (t.dtype === 'float32' && t.rank === 2 && t.shape[1] === dim);

/** Whether embeddingsInference can run this call: kernel registered for the backend, no gradient recorded, shapes and dtypes as documented. */
export function embeddingsApplies(e: EmbeddingsInferenceInputs): boolean {
  if (!fusedInferenceEnabled() || !tf.getKernel(EMBEDDINGS_KERNEL, tf.getBackend())) return false;
  if (recordingGradients(tf.engine())) return false;
  if (e.inputIds.rank !== 2 || e.words.rank !== 2) return false;
  const shape = e.inputIds.shape;
  const dim = e.words.shape[1]!;
  if (!isInt(e.inputIds, shape) || !isInt(e.positionIds, shape) || !isInt(e.tokenTypeIds, shape)) return false;
  if (!isTable(e.words, dim) || !isTable(e.positions, dim) || !isTable(e.types, dim)) return false;
  if (e.tokenTypeIds && !e.types) return false;
  for (const n of [e.gamma, e.beta]) if (n.dtype !== 'float32' || !tf.util.arraysEqual(n.shape, [dim])) return false;
  return e.eps >= 0;
}

/** Runs the embeddings as one kernel; check embeddingsApplies first. An id outside its table throws a RangeError. */
export function embeddingsInference(e: EmbeddingsInferenceInputs): tf.Tensor {
  const inputs: Record<string, tf.Tensor> = { ids: e.inputIds, words: e.words, positions: e.positions, gamma: e.gamma, beta: e.beta };
  if (e.positionIds) inputs.positionIds = e.positionIds;
  if (e.types) inputs.types = e.types;
  if (e.tokenTypeIds) inputs.typeIds = e.tokenTypeIds;
  return tf.engine().runKernel(EMBEDDINGS_KERNEL, inputs, { eps: e.eps }) as tf.Tensor;
}
