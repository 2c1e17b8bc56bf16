/**
 * Anything the server can serve: a task name, a batched predict and a description of itself.
 * Adapters for @attn/pipelines' pipelines are in this package (textClassificationPredictor, ...);
 * any other model fits by implementing these three members.
 */
export interface Predictor<I, O> {
  /** HF task name, e.g. 'text-classification'; also picks the default input schema. */
  readonly task: string;
  /** One output per input, in order. May throw: the requests in that batch get a 500 with the message. */
  predictBatch(inputs: I[]): O[] | Promise<O[]>;
  /** What GET /model returns: config, labels, parameter count, backend. */
  info(): Record<string, unknown>;
  /** Extra GET /health fields, e.g. live tensor count; must be cheap. */
  health?(): Record<string, unknown>;
}
