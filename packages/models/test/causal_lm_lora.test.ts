// LoRA on the decoders' causal-LM heads: GPT-2's Conv1D projections (c_proj is in attn and mlp) and Llama's q/k/v/o and MLP projections take
// adapters, only the adapters train, the base weights do not move, and generate() runs on the adapted model.
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, Generator } from '@attn/tensor';
import { applyLoRA } from '@attn/layers';
import { loadModel, generate, type CausalLanguageModel, type TaskModel } from '../src/index';
import { FAMILY_REF } from './family_reference';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const CASES = [
  { name: 'micro-gpt2-clm', targets: ['c_attn', 'c_proj', 'c_fc'], adapted: 2 * 4, rank: 4 },
  { name: 'micro-llama-clm', targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], adapted: 2 * 7, rank: 4 },
];

describe('LoRA fine-tuning of causal LMs', () => {
  it.each(CASES)('$name: adapters on $targets start at the base model, train alone, and leak nothing', async ({ name, targets, adapted, rank }) => {
    const model = (await loadModel(join(FAMILY_REF, 'checkpoints', name))) as TaskModel & CausalLanguageModel;
    const ids = tf.tensor2d([[5, 17, 300, 42, 9, 77], [0, 0, 12, 13, 14, 15]], [2, 6], 'int32');
    const attentionMask = tf.tensor2d([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]], [2, 6], 'int32');
    const labels = tf.tensor2d([[5, 17, 300, 42, 9, 77], [-100, -100, 12, 13, 14, 15]], [2, 6], 'int32');
    const logits = () => tf.tidy(() => Array.from(model.forward({ inputIds: ids, attentionMask }).logits!.dataSync()));
    const base = logits();
    const greedyBefore = generate(model, [[320, 400, 170]], { maxNewTokens: 4, eosTokenId: null }).sequences;
    expect(applyLoRA(model, { rank, alpha: 2 * rank, targetModules: targets, rng: new Generator(1) })).toHaveLength(adapted);
    // B = 0: the adapted model starts equal to the base one.
    expect(logits()).toEqual(base);
    expect(generate(model, [[320, 400, 170]], { maxNewTokens: 4, eosTokenId: null }).sequences).toEqual(greedyBefore);
    const trainable = model.trainableParameters();
    expect(trainable.every(([n]) => /\.lora_[AB]\.weight$/.test(n))).toBe(true);
    expect(trainable).toHaveLength(2 * adapted);
    const frozen = new Map(model.namedParameters().filter(([n]) => !n.includes('lora_')).map(([n, v]) => [n, Array.from(v.dataSync())]));
    model.train();
    const vars = trainable.map(([, v]) => v);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => model.forward({ inputIds: ids, attentionMask, labels }).loss!, vars);
      tf.tidy(() => vars.forEach((v) => v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.05)))));
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      return loss;
    };
    const first = step();
    const count = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = step();
    expect(tf.memory().numTensors).toBe(count);
    expect(last).toBeLessThan(first);
    for (const [n, v] of model.namedParameters()) if (frozen.has(n)) expect(Array.from(v.dataSync()), n).toEqual(frozen.get(n));
    model.eval();
    expect(generate(model, [[320, 400, 170]], { maxNewTokens: 4, eosTokenId: null }).sequences[0]).toHaveLength(7);
    tf.dispose([ids, attentionMask, labels]);
    model.dispose();
  });
});
