import { describe, it, expect, beforeAll } from 'vitest';
import { initBackend } from '@attn/tensor';
import { ModuleList } from './module_list';
import { Linear } from './linear';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('ModuleList', () => {
  it('names children 0, 1, ... and keeps the list in step with replaceModule', () => {
    const list = new ModuleList([new Linear({ inFeatures: 2, outFeatures: 2 }), new Linear({ inFeatures: 2, outFeatures: 3 })]);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(list.length).toBe(2);
    const swap = new Linear({ inFeatures: 2, outFeatures: 5, bias: false });
    const old = list.replaceModule('1', swap);
    expect(list.at(1)).toBe(swap);
    expect([...list].length).toBe(2);
    expect(list.namedParameters().map(([n, v]) => [n, v.shape])).toEqual([['0.weight', [2, 2]], ['0.bias', [2]], ['1.weight', [2, 5]]]);
    expect(() => list.at(2)).toThrow(RangeError);
    old.dispose();
    list.dispose();
  });
});
