import { tf } from '@attn/tensor';

/** Thrown when a cache is used with inputs of another batch size or after it was disposed. */
export class KeyValueCacheError extends Error {
  override name = 'KeyValueCacheError';
}

/**
 * The keys and values of every decoder layer for the positions seen so far (HF's DynamicCache): each layer's
 * attention appends this step's [batch, kvHeads, seq, headDim] and attends over the whole. The cache owns its
 * tensors (kept out of the callers' tidy scopes); dispose() frees them.
 */
export class KeyValueCache {
  private keys: tf.Tensor[] = [];
  private values: tf.Tensor[] = [];
  private disposed = false;

  /** Positions cached (the first layer's; every layer has the same once a forward pass is over). */
  get length(): number {
    return this.keys[0]?.shape[2] ?? 0;
  }

  get batchSize(): number | undefined {
    return this.keys[0]?.shape[0];
  }

  /** Appends layer `layer`'s new keys and values; returns everything cached for it, which the cache owns. */
  update(layer: number, k: tf.Tensor, v: tf.Tensor): { keys: tf.Tensor; values: tf.Tensor } {
    if (this.disposed) throw new KeyValueCacheError('KeyValueCache: used after dispose(); make a new cache for a new generation.');
    const oldK = this.keys[layer];
    const oldV = this.values[layer];
    if (oldK && oldK.shape[0] !== k.shape[0]) {
      throw new KeyValueCacheError(`KeyValueCache: layer ${layer} holds a batch of ${oldK.shape[0]} but the inputs have ${k.shape[0]}; reorder() the cache or start a new one.`);
    }
    const keys = tf.keep(oldK ? tf.concat([oldK, k], 2) : tf.clone(k));
    const values = tf.keep(oldV ? tf.concat([oldV, v], 2) : tf.clone(v));
    oldK?.dispose();
    oldV?.dispose();
    this.keys[layer] = keys;
    this.values[layer] = values;
    return { keys, values };
  }

  /** Keeps rows `indices` of the batch, in that order (beam search moving beams; HF reorder_cache). */
  reorder(indices: readonly number[]): void {
    const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
    const gather = (ts: tf.Tensor[]) =>
      ts.map((t) => {
        const g = tf.keep(tf.gather(t, idx, 0));
        t.dispose();
        return g;
      });
    this.keys = gather(this.keys);
    this.values = gather(this.values);
    idx.dispose();
  }

  dispose(): void {
    tf.dispose([...this.keys, ...this.values]);
    this.keys = [];
    this.values = [];
    this.disposed = true;
  }
}
