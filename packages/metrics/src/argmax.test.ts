import { describe, expect, it } from 'vitest';
import { argmaxRows } from './argmax';

describe('argmaxRows', () => {
  it('picks each row\'s largest value, the first on ties', () => {
    expect(Array.from(argmaxRows([0.1, 0.9, 0.5, 2, 2, 1, -1, -3, -2], 3))).toEqual([1, 0, 0]);
    expect(Array.from(argmaxRows(new Float32Array([3, 1, 4, 1, 5, 9]), 2))).toEqual([0, 0, 1]);
    expect(Array.from(argmaxRows([], 4))).toEqual([]);
  });

  it('refuses a length that is not whole rows', () => {
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow(/3 values are not whole rows of 2/);
    expect(() => argmaxRows([1, 2], 0)).toThrow(/positive integer/);
  });
});
