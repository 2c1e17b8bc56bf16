// Child process for drain_under_load.test.ts: a server whose fake model is CPU-bound like a real one
// (it blocks the event loop while it runs), stopped by SIGTERM. Prints its url, a line when it stops
// calls the model, and a final report. DRAIN_TIMEOUT_MS sets drainTimeoutMs.
import { createServer } from '../src/create_server';
import { closeOnSignal } from '../src/close_on_signal';
import type { Predictor } from '../src/predictor';
import type { TextInput } from '../src/input_schema';

// The first call is slow, as a real model's is (JIT, kernel warm-up): the test sends most requests
// while it runs, so they wait in the kernel's accept queue and socket buffers, unread.
const FIRST_CALL_MS = Number(process.env.FIRST_CALL_MS ?? 300);
const MS_PER_INPUT = Number(process.env.MS_PER_INPUT ?? 0.2);
let calls = 0;

const cpuBound: Predictor<TextInput, { length: number }> = {
  task: 'text-classification',
  predictBatch: (inputs) => {
    // A synchronous model call: sockets are not read while it runs, as with a real backend.
    // (stdout is a pipe, written synchronously on Linux, so the test sees this line before the call ends.)
    process.stdout.write(JSON.stringify({ call: ++calls, inputs: inputs.length }) + '\n');
    const until = performance.now() + (calls === 1 ? FIRST_CALL_MS : 0) + MS_PER_INPUT * inputs.length;
    while (performance.now() < until);
    return inputs.map((x) => ({ length: x.text.length }));
  },
  info: () => ({}),
};

const drainTimeoutMs = process.env.DRAIN_TIMEOUT_MS ? Number(process.env.DRAIN_TIMEOUT_MS) : undefined;
const server = createServer(cpuBound, { batchWindowMs: 5, drainTimeoutMs });
const { url } = await server.listen();
process.stdout.write(JSON.stringify({ url }) + '\n');
const result = await closeOnSignal(server);
process.stdout.write(JSON.stringify({ result, stats: server.stats() }) + '\n');
