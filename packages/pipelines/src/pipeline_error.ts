/** A pipeline used with a model or input it cannot serve; the message says what to pass instead. */
export class PipelineInputError extends Error {
  override name = 'PipelineInputError';
}
