import type { tf } from '@attn/tensor';
import type { ModelInputs, ModelOutput } from '@attn/models';

/**
 * What the Trainer needs from a model: an @attn/layers Module (parameters by HF name, train/eval,
 * state dict) with a task forward from a batch I (default @attn/models' ModelInputs, which every
 * @attn/data collator's batch satisfies) to outputs O (named tensors; `loss` when labels were given).
 * @attn/models' task models satisfy it structurally.
 */
export interface TrainableModel<I = ModelInputs, O extends object = ModelOutput> extends ParameterModel {
  forward(inputs: I): O;
}

/** A model seen through its parameters, without its forward: what checkpoints, freezing and callbacks use. */
export interface ParameterModel {
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
  /**
   * Writes config.json + model.safetensors (HF layout). Without it the trainer writes model.safetensors itself.
   * Checkpoints ask for float32 (exact resume); the final model is saved in the model's own default (@attn/models:
   * the dtype it came in).
   */
  savePretrained?(dir: string, opts?: { dtype?: 'float32' }): Promise<void>;
  /** The same two files as bytes, for a store that is not the filesystem (a browser tab). */
  toPretrainedBytes?(opts?: { dtype?: 'float32' }): { config: string; safetensors: Uint8Array };
  config?: unknown;
  /**
   * Which parameters are embeddings, which block each belongs to and which form the pretrained body, as
   * the model's family names them (@attn/models' PreTrainedModel has it); freezeStrategy reads it.
   */
  parameterLayout?(): ParameterLayout;
  /** Recompute each block's activations in backward (HF gradient_checkpointing_enable); TrainingArguments.gradientCheckpointing calls it. */
  gradientCheckpointingEnable?(): unknown;
}

/** A family's parameter naming, for freezing (same shape as @attn/models' ParameterLayout). */
export interface ParameterLayout {
  isEmbedding(name: string): boolean;
  /** The block index of a parameter, or undefined (embeddings, head, layers shared across blocks). */
  layerIndex(name: string): number | undefined;
  /** Inside the pretrained body (everything but the task head). */
  isBackbone(name: string): boolean;
}
