/**
 * Closes the server on the first of `signals` (default SIGTERM and SIGINT) and resolves with that
 * signal once in-flight requests have finished. The listeners are removed at the first signal, so a
 * second one terminates the process the default way if shutdown hangs.
 */
export function closeOnSignal(server: { close(): Promise<void> }, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Promise<NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        server.close().then(() => resolve(signal), reject);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
  });
}
