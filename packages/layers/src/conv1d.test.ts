import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { Conv1D } from './conv1d';
import { Linear } from './linear';
import { applyLoRA } from './lora';
import { Module } from './module';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('Conv1D', () => {
  it('computes x W + b with W stored [in, out] and is not transposed for checkpoints (HF GPT-2 layout)', () => {
    const c = new Conv1D({ inFeatures: 2, outFeatures: 3 });
    c.weight.assign(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
    c.bias!.assign(tf.tensor1d([0.5, 0, -0.5]));
    expect(Array.from(c.forward(tf.tensor2d([[1, 1]])).dataSync())).toEqual([5.5, 7, 8.5]);
    expect(c.transposedParameterNames().size).toBe(0);
    expect(new Linear({ inFeatures: 2, outFeatures: 3 }).transposedParameterNames()).toEqual(new Set(['weight']));
  });

  it('LoRA wraps it and keeps its checkpoint layout', () => {
    class Holder extends Module {
      c_attn = this.registerModule('c_attn', new Conv1D({ inFeatures: 4, outFeatures: 6 }));
    }
    const m = new Holder();
    applyLoRA(m, { targetModules: ['c_attn'], rank: 2 });
    expect([...m.transposedParameterNames()].sort()).toEqual(['c_attn.lora_A.weight', 'c_attn.lora_B.weight']);
  });
});
