/** A checkpoint tensor's shape differs from what the config says; names the key, both shapes and the directory. */
export class CheckpointShapeError extends Error {
  override name = 'CheckpointShapeError';
  constructor(
    readonly key: string,
    readonly expected: number[],
    readonly found: number[],
    readonly source: string,
  ) {
    super(
      `${source}: "${key}" has shape [${found.join(', ')}] in the checkpoint, but the model built from config.json expects ` +
        `[${expected.join(', ')}] (torch layout). Check config.json against the weights, or pass ` +
        `{ ignoreMismatchedSizes: true } to initialise such tensors afresh (e.g. a classifier with a new num_labels).`,
    );
  }
}

/** The checkpoint's config names an architecture attn cannot build, or none. */
export class UnsupportedArchitectureError extends Error {
  override name = 'UnsupportedArchitectureError';
}
