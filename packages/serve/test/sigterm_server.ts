// Child process for close_on_signal.test.ts: a server with a slow fake model that stops on SIGTERM.
// Imports only the server's own files, so it runs bundled by esbuild without @attn/tensor built.
import { createServer } from '../src/create_server';
import { closeOnSignal } from '../src/close_on_signal';
import type { Predictor } from '../src/predictor';
import type { TextInput } from '../src/input_schema';

const slow: Predictor<TextInput, { text: string }> = {
  task: 'text-classification',
  predictBatch: async (inputs) => {
    await new Promise((r) => setTimeout(r, 300));
    return inputs.map((x) => ({ text: x.text.toUpperCase() }));
  },
  info: () => ({}),
};

const server = createServer(slow, { batchWindowMs: 5 });
const { url } = await server.listen();
process.stdout.write(JSON.stringify({ url }) + '\n');
const { signal, timedOut } = await closeOnSignal(server);
process.stdout.write(JSON.stringify({ closed: signal, timedOut, stats: server.stats() }) + '\n');
