import { createProgram } from './program';

await createProgram().parseAsync();
// The wasm backend's worker threads (native kernels) can keep Node alive after the last command.
process.exit(process.exitCode ?? 0);
