import type { DrainResult } from './create_server';

/** Which signal stopped the server, and how its drain went. */
export interface ShutdownResult extends DrainResult {
  signal: NodeJS.Signals;
}

/**
 * Closes the server on the first of `signals` (default SIGTERM and SIGINT) and resolves once every
 * accepted request is answered or the server's drain timeout passed (`timedOut`; exit non-zero then).
 * The listeners are removed at the first signal, so a second one terminates the process the default
 * way if shutdown hangs.
 */
export function closeOnSignal(server: { close(): Promise<DrainResult> }, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Promise<ShutdownResult> {
  return new Promise((resolve, reject) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        server.close().then((drained) => resolve({ signal, ...drained }), reject);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
  });
}
