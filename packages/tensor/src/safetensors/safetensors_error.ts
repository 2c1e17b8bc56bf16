/** A safetensors file (or byte buffer) that cannot be read or written; names the source and the problem. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  constructor(
    /** File path, or a caller-chosen label for an in-memory buffer. */
    readonly source: string,
    /** What is wrong, in a sentence. */
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}
