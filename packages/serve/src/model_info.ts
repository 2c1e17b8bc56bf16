import { tf } from '@attn/tensor';

/** What the pipeline adapters need of a model to describe it; every @attn/models task model has it. */
export interface DescribableModel {
  readonly config: { toJSON(): object };
  parameters(): ReadonlyArray<{ size: number }>;
}

/** GET /model's body for a pipeline: its HF config, labels, parameter count and tfjs backend. */
export function modelInfo(model: DescribableModel, labels: readonly string[]): Record<string, unknown> {
  return {
    labels: [...labels],
    parameterCount: model.parameters().reduce((n, p) => n + p.size, 0),
    backend: tf.getBackend(),
    config: model.config.toJSON(),
  };
}

/** GET /health's extra fields for a pipeline: tensors alive now (a leak shows as growth). */
export function tensorHealth(): Record<string, unknown> {
  return { numTensors: tf.memory().numTensors };
}
