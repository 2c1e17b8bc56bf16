import { describe, expect, it } from 'vitest';
import { registerOptimizer, registeredOptimizers } from './registry';
import { registerSchedule, registeredSchedules } from '../schedulers/registry';

describe('optimizer and schedule registries', () => {
  it('refuse a name already registered, keeping the first', () => {
    expect(() => registerOptimizer('adamw', () => { throw new Error('never'); })).toThrow(/"adamw" is already registered/);
    expect(() => registerSchedule('linear', () => () => 1)).toThrow(/"linear" is already registered/);
    expect(registeredOptimizers()).toEqual(expect.arrayContaining(['adamw', 'sgd']));
    expect(registeredSchedules()).toEqual(expect.arrayContaining(['linear', 'cosine']));
  });
});
