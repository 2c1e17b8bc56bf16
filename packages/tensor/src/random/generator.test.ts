import { describe, expect, it } from 'vitest';
import { Generator, RandomStateError } from './generator';
import { globalGenerator, setGlobalSeed } from './global_generator';

describe('Generator', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Generator(42);
    const b = new Generator(42);
    const c = new Generator(43);
    const xa = Array.from({ length: 10 }, () => a.nextUint32());
    const xb = Array.from({ length: 10 }, () => b.nextUint32());
    const xc = Array.from({ length: 10 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('fillKeepMask draws what the nextFloat loop draws and leaves the same state', () => {
    for (const [seed, rate] of [[1, 0.1], [99, 0.5], [2 ** 40 + 3, 0], [7, 0.999]] as const) {
      const a = new Generator(seed);
      const b = new Generator(seed);
      const fast = new Float32Array(10_001);
      a.fillKeepMask(fast, rate, 1 / (1 - rate));
      const slow = Float32Array.from({ length: fast.length }, () => (b.nextFloat() >= rate ? 1 / (1 - rate) : 0));
      expect(fast).toEqual(slow);
      expect(a.getState()).toEqual(b.getState());
      expect(a.nextUint32()).toBe(b.nextUint32());
    }
  });

  it('restores state exactly (checkpoint/resume)', () => {
    const g = new Generator(7);
    for (let i = 0; i < 5; i++) g.normal();
    const state = JSON.parse(JSON.stringify(g.getState())) as number[];
    const after = [g.nextFloat(), g.normal(), g.int(10)];
    const h = new Generator(0);
    h.setState(state);
    expect([h.nextFloat(), h.normal(), h.int(10)]).toEqual(after);
    expect(() => h.setState([0, 0, 0, 0])).toThrow(RandomStateError);
    expect(() => h.setState([1, 2])).toThrow(RandomStateError);
  });

  it('has sane distributions', () => {
    const g = new Generator(1);
    const n = 50_000;
    let sum = 0;
    let sq = 0;
    let usum = 0;
    const counts = new Array(7).fill(0);
    for (let i = 0; i < n; i++) {
      const z = g.normal();
      sum += z;
      sq += z * z;
      const u = g.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      usum += u;
      counts[g.int(7)]++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.03);
    expect(Math.abs(usum / n - 0.5)).toBeLessThan(0.01);
    for (const c of counts) expect(Math.abs(c / n - 1 / 7)).toBeLessThan(0.01);
  });

  it('shuffles in place into a permutation, reproducibly', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = [...a];
    new Generator(3).shuffle(a);
    new Generator(3).shuffle(b);
    expect(a).toEqual(b);
    expect(a).not.toEqual([...a].sort((x, y) => x - y));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('global generator is reseedable', () => {
    setGlobalSeed(5);
    const x = globalGenerator().nextSeed();
    setGlobalSeed(5);
    expect(globalGenerator().nextSeed()).toBe(x);
  });
});
