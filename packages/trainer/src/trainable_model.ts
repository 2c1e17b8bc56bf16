import type { tf } from '@attn/tensor';

/** Inputs of a task model's forward, as @attn/data batches name them. */
export interface ModelInputs {
  inputIds: tf.Tensor;
  attentionMask?: tf.Tensor;
  tokenTypeIds?: tf.Tensor;
  labels?: tf.Tensor;
  startPositions?: tf.Tensor;
  endPositions?: tf.Tensor;
}

/** Outputs of a task model's forward; `loss` is present when labels were given. */
export interface ModelOutputs {
  loss?: tf.Scalar;
  logits?: tf.Tensor;
  startLogits?: tf.Tensor;
  endLogits?: tf.Tensor;
}

/**
 * What the Trainer needs from a model: an @attn/layers Module (parameters by HF name, train/eval,
 * state dict) with a task forward. @attn/models' task models satisfy it structurally; the trainer
 * does not import @attn/models.
 */
export interface TrainableModel<I = ModelInputs, O = ModelOutputs> {
  forward(inputs: I): O;
  namedParameters(): Array<[string, tf.Variable]>;
  trainableParameters(): Array<[string, tf.Variable]>;
  train(mode?: boolean): unknown;
  eval(): unknown;
  /** Parameters by HF name in the internal layout (Linear kernels [in, out]). */
  stateDict(): Record<string, tf.Tensor>;
  loadStateDict(sd: Record<string, tf.Tensor>, opts?: { strict?: boolean }): unknown;
  /** Names stored transposed vs the torch/HF layout; checkpoints are written in the HF layout. */
  transposedParameterNames?(): Set<string>;
  freeze?(patterns?: string | string[]): unknown;
  unfreeze?(patterns?: string | string[]): unknown;
  /**
   * Copies HF-layout tensors (as savePretrained wrote them) into the parameters; @attn/models'
   * BERT models have it. Without it the trainer transposes transposedParameterNames() itself.
   */
  loadPretrainedWeights?(weights: Record<string, tf.Tensor>, opts?: { source?: string; quiet?: boolean }): unknown;
  /**
   * The model's own random stream (dropout), when it has one instead of the global generator;
   * checkpoints save and restore it so a resumed run draws the same masks.
   */
  rng?: { getState(): number[]; setState(state: readonly number[]): void };
  /** Writes config.json + model.safetensors (HF layout). Without it the trainer writes model.safetensors itself. */
  savePretrained?(dir: string): Promise<void>;
  config?: unknown;
  /**
   * Which parameters are embeddings, which block each belongs to and which form the pretrained body, as
   * the model's family names them (@attn/models' PreTrainedModel has it); freezeStrategy reads it.
   */
  parameterLayout?(): ParameterLayout;
}

/** A family's parameter naming, for freezing (same shape as @attn/models' ParameterLayout). */
export interface ParameterLayout {
  isEmbedding(name: string): boolean;
  /** The block index of a parameter, or undefined (embeddings, head, layers shared across blocks). */
  layerIndex(name: string): number | undefined;
  /** Inside the pretrained body (everything but the task head). */
  isBackbone(name: string): boolean;
}
