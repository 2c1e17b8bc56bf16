import { expect, it } from 'vitest';
import { backendOption, startBackend } from './backend_flag';

it('--backend: starts a backend this machine has; names the flag for an unknown or uninstalled one', async () => {
  expect(await startBackend('cpu')).toBe('cpu');
  await expect(startBackend('gpu')).rejects.toThrowError('--backend must be one of tensorflow, wasm, cpu; got "gpu".');
  // This repository installs no @tensorflow/tfjs-node: the message says so and how to get it.
  await expect(startBackend('tensorflow')).rejects.toThrowError(
    '--backend tensorflow: it needs @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), which is not installed here: run `npm install @tensorflow/tfjs-node` beside attn (Linux, macOS or Windows, x64/arm64). Or pass --backend wasm or --backend cpu.',
  );
});

it('backendOption: the one --backend flag every command takes, naming the names startBackend accepts', () => {
  const o = backendOption();
  expect([o.long, o.defaultValue]).toEqual(['--backend', undefined]);
  expect(o.description).toBe('tensorflow | wasm | cpu (default: the best available; env ATTN_BACKEND)');
});
