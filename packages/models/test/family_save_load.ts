// savePretrained → loadModel gives the same outputs bit for bit (family_reference's round trip compares the
// parameters and files; this compares what a user sees: logits, or start/end logits, on the reference inputs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tf } from '@attn/tensor';
import { loadModel, type ModelOutput } from '../src/index';
import { FAMILY_REF, familyVectors, familyInputs } from './family_reference';

/** Loads `name`'s reference checkpoint, saves it, reloads the save; both models' outputs must be equal bit for bit. */
export async function expectSameOutputsAfterSaveLoad(name: string): Promise<void> {
  const v = familyVectors(name);
  const dir = mkdtempSync(join(tmpdir(), 'attn-save-load-'));
  const model = await loadModel(join(FAMILY_REF, v.checkpoint));
  const inputs = familyInputs(v);
  try {
    await model.savePretrained(dir);
    const again = await loadModel(dir);
    expect(again.architecture).toBe(model.architecture);
    const keys: Array<keyof ModelOutput> = ['logits', 'startLogits', 'endLogits'];
    const [a, b] = [model.forward(inputs), again.forward(inputs)];
    for (const k of keys) {
      if (!a[k]) continue;
      const [x, y] = [(a[k] as tf.Tensor).dataSync(), (b[k] as tf.Tensor).dataSync()];
      expect(Buffer.from(y.buffer).equals(Buffer.from(x.buffer)), `${name}: ${k} after save → load`).toBe(true);
    }
    expect(b.loss!.dataSync()[0]).toBe(a.loss!.dataSync()[0]);
    tf.dispose([a, b] as unknown as tf.TensorContainer);
    again.dispose();
  } finally {
    tf.dispose(Object.values(inputs).filter((x) => x instanceof tf.Tensor) as tf.Tensor[]);
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
