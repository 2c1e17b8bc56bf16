/** Thrown when a model cannot be exported: names the model, what is missing and what to do. */
export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}
