import { initBackend } from '../backend';
import { tf } from '../tf';

/** Runs `fn` on each backend and returns its result's values and shape, for kernel parity tests. */
export async function onBackends(
  backends: Array<'cpu' | 'wasm'>,
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<Array<Array<{ values: number[]; shape: number[] }>>> {
  const out = [];
  for (const b of backends) {
    await initBackend({ backend: b });
    const r = tf.tidy(fn);
    const list = Array.isArray(r) ? r : [r];
    out.push(list.map((t) => ({ values: Array.from(t.dataSync()), shape: t.shape })));
    tf.dispose(list);
  }
  return out;
}
