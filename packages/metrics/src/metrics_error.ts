/**
 * Errors thrown by @attn/metrics. Each names the function and the argument
 * that was wrong, what was expected, and what was found, so a caller can fix
 * the call without reading this package's source.
 */
export class MetricsError extends Error {
  override name = 'MetricsError';
  constructor(
    /** The public function that rejected its input, e.g. `classificationReport`. */
    readonly fn: string,
    /** The argument or option at fault, e.g. `yPred` or `options.labels`. */
    readonly field: string,
    detail: string,
  ) {
    super(`@attn/metrics ${fn}(): ${field}: ${detail}`);
  }
}

/** Inputs that cannot be compared: different lengths, mixed label types, non-integer labels. */
export class MetricsInputError extends MetricsError {
  override name = 'MetricsInputError';
}

/** An option outside its documented range (average, zeroDivision, beta, digits, pos label...). */
export class MetricsOptionError extends MetricsError {
  override name = 'MetricsOptionError';
}

/** A tag that the chosen seqeval scheme does not allow, or a scheme that cannot be detected. */
export class SeqevalSchemeError extends MetricsError {
  override name = 'SeqevalSchemeError';
}
