// Node only (reads the file synchronously): for callbacks, whose events are synchronous.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors } from '@attn/tensor';
import type { ParameterModel } from '../trainable_model';
import { CheckpointError } from '../training_error';
import { assignModelWeights } from './model_weights';

/**
 * loadModelWeights without awaiting, for callbacks (their events are synchronous): reads
 * dir/model.safetensors only (a sharded checkpoint is an error).
 */
export function loadModelWeightsSync(model: ParameterModel, dir: string): void {
  const file = join(dir, 'model.safetensors');
  let bytes: Uint8Array;
  try {
    const buf = readFileSync(file);
    // A plain Uint8Array view: Buffer.slice shares memory, and the F32 decoder relies on slice copying.
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new CheckpointError(`Cannot read ${file} (${(e as Error).message}); pass a complete, unsharded checkpoint directory.`);
  }
  assignModelWeights(model, parseSafetensors(bytes, file), dir);
}

