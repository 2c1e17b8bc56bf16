import { tf } from '@attn/tensor';
import type { ModelOutput } from '../model_io';
import type { DecoderInputs } from '../decoder_io';
import { KeyValueCache } from './kv_cache';

/** A model generate() can drive: a causal-LM head whose forward takes DecoderInputs. */
export interface CausalLanguageModel {
  forward(inputs: DecoderInputs): ModelOutput;
}

/**
 * One batch being decoded with a KV cache: the attention mask and position of every row are tracked in plain
 * arrays, so each step feeds one token per row. Positions follow HF generate: cumsum(mask) - 1 with padding at
 * 0, then one more per step. Each call returns the last position's logits per row and keeps no tensor but the cache.
 */
export class IncrementalDecoder {
  readonly cache = new KeyValueCache();
  private mask: number[][] = [];
  private lastPosition: number[] = [];

  constructor(private readonly model: CausalLanguageModel) {}

  /** Runs the prompts ([rows][seq], padded on the left; mask 1 = token) and returns the next-token logits per row. */
  prefill(ids: readonly (readonly number[])[], mask: readonly (readonly number[])[]): Float32Array[] {
    this.mask = mask.map((r) => [...r]);
    const positions = mask.map((row) => {
      let c = 0;
      return row.map((m) => (m ? c++ : 0));
    });
    this.lastPosition = positions.map((r) => r[r.length - 1]!);
    return this.run(ids, positions);
  }

  /** Feeds one token per row; returns the next-token logits per row. */
  step(tokens: readonly number[]): Float32Array[] {
    for (const row of this.mask) row.push(1);
    this.lastPosition = this.lastPosition.map((p) => p + 1);
    return this.run(
      tokens.map((t) => [t]),
      this.lastPosition.map((p) => [p]),
    );
  }

  /** Keeps rows `indices` in that order (beam search). */
  reorder(indices: readonly number[]): void {
    this.cache.reorder(indices);
    this.mask = indices.map((i) => [...this.mask[i]!]);
    this.lastPosition = indices.map((i) => this.lastPosition[i]!);
  }

  dispose(): void {
    this.cache.dispose();
  }

  private run(ids: readonly (readonly number[])[], positions: number[][]): Float32Array[] {
    const rows = ids.length;
    const seq = ids[0]!.length;
    const last = tf.tidy(() => {
      const logits = this.model.forward({
        inputIds: tf.tensor2d(ids.flat(), [rows, seq], 'int32'),
        attentionMask: tf.tensor2d(this.mask.flat(), [rows, this.mask[0]!.length], 'int32'),
        positionIds: tf.tensor2d(positions.flat(), [rows, seq], 'int32'),
        pastKeyValues: this.cache,
        logitsToKeep: 1,
      }).logits!;
      return tf.reshape(logits, [rows, logits.shape[2]!]);
    });
    const data = last.dataSync() as Float32Array;
    const vocab = last.shape[1]!;
    last.dispose();
    return Array.from({ length: rows }, (_, r) => data.slice(r * vocab, (r + 1) * vocab));
  }
}
