import { describe, expect, it } from 'vitest';
import { concatBatches } from './prediction_output';

describe('concatBatches', () => {
  it('pads token-level batches of different lengths', () => {
    const a = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] };
    const b = { data: new Float32Array([5, 6, 7]), shape: [1, 3] };
    const out = concatBatches([a, b]);
    expect(out.shape).toEqual([3, 3]);
    expect([...out.data]).toEqual([1, 2, -100, 3, 4, -100, 5, 6, 7]);
  });

  it('handles rank 3 and keeps Int32 labels', () => {
    const a = { data: new Float32Array([1, 2, 3, 4]), shape: [1, 2, 2] };
    const b = { data: new Float32Array([5, 6]), shape: [1, 1, 2] };
    expect([...concatBatches([a, b], 0).data]).toEqual([1, 2, 3, 4, 5, 6, 0, 0]);
    const l = concatBatches([{ data: new Int32Array([1, 0]), shape: [2] }, { data: new Int32Array([1]), shape: [1] }]);
    expect(l.data).toBeInstanceOf(Int32Array);
    expect([...l.data]).toEqual([1, 0, 1]);
  });
});
