/** createServer called with options it cannot honour; the message names the option and a valid value. */
export class ServeOptionsError extends Error {
  override name = 'ServeOptionsError';
}

/**
 * The predictor failed on a batch, or returned the wrong number of outputs. Requests in that batch
 * get a 500 carrying this message; requests in other batches are unaffected.
 */
export class PredictionError extends Error {
  override name = 'PredictionError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** More inputs are waiting than maxQueuedInputs allows; answered 503 so clients back off and retry. */
export class ServerBusyError extends Error {
  override name = 'ServerBusyError';
  readonly statusCode = 503;
}
