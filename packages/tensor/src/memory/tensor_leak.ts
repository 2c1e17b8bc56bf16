import { tf } from '../tf';

export class TensorLeakError extends Error {
  override name = 'TensorLeakError';
}

/**
 * Runs `fn` and returns how many tensors it left alive (tf.memory().numTensors after − before),
 * disposing whatever tensors `fn` returns first, so a function that returns its result is not
 * counted as leaking it.
 */
export async function countNewTensors(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  const result = await fn();
  tf.dispose(collectTensors(result));
  return tf.memory().numTensors - before;
}

/** Throws TensorLeakError when `fn` leaves more tensors alive than `allowed` (default 0). */
export async function expectNoTensorLeak(fn: () => unknown, allowed = 0, label = 'block'): Promise<void> {
  const leaked = await countNewTensors(fn);
  if (leaked > allowed) {
    throw new TensorLeakError(
      `${label} leaked ${leaked} tensor(s) (allowed ${allowed}); wrap intermediates in tf.tidy or dispose them.`,
    );
  }
}

function collectTensors(value: unknown, out: tf.Tensor[] = [], depth = 0): tf.Tensor[] {
  if (depth > 4 || value == null) return out;
  if (value instanceof tf.Tensor) {
    if (!value.isDisposed && !(value instanceof tf.Variable)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out, depth + 1);
  } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out, depth + 1);
  }
  return out;
}
