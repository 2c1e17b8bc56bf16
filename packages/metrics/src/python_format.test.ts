import { describe, expect, it } from 'vitest';
import { alignRight, formatFixed } from './python_format';

describe('formatFixed (Python format(x, ".Nf"))', () => {
  it('rounds exact binary ties half to even, unlike toFixed', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(0.875, 2)).toBe('0.88');
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(0.0625, 3)).toBe('0.062');
  });
  it('rounds non-ties by the exact binary value', () => {
    // 0.145 is stored as 0.14499999999999999001
    expect(formatFixed(0.145, 2)).toBe('0.14');
    // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875
    expect(formatFixed(2.675, 2)).toBe('2.67');
    expect(formatFixed(1 / 3, 4)).toBe('0.3333');
    expect(formatFixed(2 / 3, 2)).toBe('0.67');
  });
  it('handles zero, negatives, large values and non-finite values as Python does', () => {
    expect(formatFixed(0, 2)).toBe('0.00');
    expect(formatFixed(-0, 2)).toBe('-0.00');
    expect(formatFixed(-0.001, 2)).toBe('-0.00');
    expect(formatFixed(-1.005, 2)).toBe('-1.00');
    expect(formatFixed(1e22, 1)).toBe('10000000000000000000000.0');
    expect(formatFixed(123, 0)).toBe('123');
    expect(formatFixed(Number.NaN, 2)).toBe('nan');
    expect(formatFixed(Infinity, 2)).toBe('inf');
    expect(formatFixed(5e-324, 3)).toBe('0.000');
    expect(formatFixed(0.1, 20)).toBe('0.10000000000000000555');
  });
  it('aligns by code points, like Python widths', () => {
    expect(alignRight('café', 6)).toBe('  café');
    expect(alignRight('😀', 3)).toBe('  😀');
    expect(alignRight('toolong', 3)).toBe('toolong');
  });
});
