import { describe, expect, it } from 'vitest';
import { transposeLastTwo } from './transpose_last_two';

describe('transposeLastTwo', () => {
  it.each([
    [1, 2, 3],
    [3, 33, 70],
    [2, 64, 1],
  ])('batch %i of [%i, %i]', (batch, rows, cols) => {
    const src = Float32Array.from({ length: batch * rows * cols }, (_, i) => i);
    const dst = new Float32Array(src.length);
    transposeLastTwo(src, dst, batch, rows, cols);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) expect(dst[b * rows * cols + j * rows + i]).toBe(src[b * rows * cols + i * cols + j]);
      }
    }
  });
});
