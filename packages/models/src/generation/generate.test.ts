import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { loadModel, type TaskModel } from '../index';
import { FAMILY_REF, familyVectors } from '../../test/family_reference';
import { generate, streamGenerate } from './generate';
import type { CausalLanguageModel } from './incremental_decoder';
import { applyTopK, applyTopP, softmax } from './logits_processors';

interface GenerationVectors {
  eos_token_id: number;
  greedy: Array<{ prompt: number[]; max_new_tokens: number; sequence: number[] }>;
  beam: Array<{
    prompt: number[];
    max_new_tokens: number;
    num_beams: number;
    length_penalty: number;
    early_stopping: boolean;
    sequences: number[][];
    sequences_scores: number[];
  }>;
}

const CLM = ['micro-gpt2-clm', 'micro-llama-clm', 'micro-llama-tied-clm'];
type LM = TaskModel & CausalLanguageModel & { config: { eosTokenId?: number | number[] | null; padTokenId: number | null } };
const load = async (name: string) => (await loadModel(join(FAMILY_REF, 'checkpoints', name))) as LM;
const gen = (name: string) => (familyVectors(name) as unknown as { generation: GenerationVectors }).generation;

describe.each(['cpu', 'wasm'] as const)('generate() on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each(CLM)('%s: greedy and beam search are token-identical to HF generate, beam scores within 1e-4', async (name) => {
    const model = await load(name);
    const g = gen(name);
    for (const ref of g.greedy) {
      const out = generate(model, [ref.prompt], { maxNewTokens: ref.max_new_tokens, eosTokenId: null });
      expect(out.sequences, `greedy from [${ref.prompt}]`).toEqual([ref.sequence]);
    }
    for (const ref of g.beam) {
      const out = generate(model, [ref.prompt], {
        maxNewTokens: ref.max_new_tokens,
        numBeams: ref.num_beams,
        numReturnSequences: ref.sequences.length,
        lengthPenalty: ref.length_penalty,
        earlyStopping: ref.early_stopping,
        eosTokenId: null,
      });
      expect(out.sequences, `beam from [${ref.prompt}]`).toEqual(ref.sequences);
      out.sequencesScores!.forEach((s, i) => expect(Math.abs(s - ref.sequences_scores[i]!), `score ${i}: ${s} vs ${ref.sequences_scores[i]}`).toBeLessThanOrEqual(1e-4));
    }
    model.dispose();
  });

  it.each(CLM)('%s: both prompts batched with left padding give the unbatched greedy and beam results', async (name) => {
    const model = await load(name);
    const g = gen(name);
    const width = Math.max(...g.greedy.map((r) => r.prompt.length));
    const pad = (p: number[]) => [...Array<number>(width - p.length).fill(0), ...p];
    const ids = g.greedy.map((r) => pad(r.prompt));
    const attentionMask = g.greedy.map((r) => pad(r.prompt.map(() => 1)).map((x) => (x === 0 ? 0 : 1)));
    const greedy = generate(model, ids, { attentionMask, maxNewTokens: 12, eosTokenId: null });
    g.greedy.forEach((ref, i) => expect(greedy.sequences[i]).toEqual(pad(ref.prompt).concat(ref.sequence.slice(ref.prompt.length))));
    const beam = generate(model, ids, { attentionMask, maxNewTokens: 8, numBeams: 3, numReturnSequences: 3, eosTokenId: null });
    g.beam.forEach((ref, i) => ref.sequences.forEach((seq, j) => expect(beam.sequences[i * 3 + j]).toEqual(pad(ref.prompt).concat(seq.slice(ref.prompt.length)))));
    model.dispose();
  });
});

describe('generate() rules', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('stops a row at EOS and pads it while the others go on; maxNewTokens bounds the rest; onToken streams each step', async () => {
    const model = await load('micro-gpt2-clm');
    const [r0, r1] = gen('micro-gpt2-clm').greedy as [GenerationVectors['greedy'][0], GenerationVectors['greedy'][0]];
    const n0 = r0.prompt.length;
    // r0's greedy continuation is 158, 384, 384, ...: with EOS 384 it ends after two tokens; r1's never meets 384.
    expect(r0.sequence.slice(n0, n0 + 2)).toEqual([158, 384]);
    expect(r1.sequence).not.toContain(384);
    const ids = [r0.prompt, [0, 0, ...r1.prompt]];
    const attentionMask = [r0.prompt.map(() => 1), [0, 0, ...r1.prompt.map(() => 1)]];
    const steps: number[][] = [];
    const out = generate(model, ids, { attentionMask, maxNewTokens: 12, eosTokenId: 384, padTokenId: 7, onToken: (t) => void steps.push(t) });
    expect(out.sequences[0]).toEqual([...r0.sequence.slice(0, n0 + 2), ...Array<number>(10).fill(7)]);
    expect(out.sequences[1]).toEqual([0, 0, ...r1.sequence]);
    expect(steps.length).toBe(12);
    expect(steps.map((t) => t[0]).slice(0, 3)).toEqual([158, 384, 7]);
    // onToken returning false stops after that step.
    const stopped = generate(model, [r0.prompt], { maxNewTokens: 12, eosTokenId: null, onToken: () => false });
    expect(stopped.sequences[0]).toEqual(r0.sequence.slice(0, n0 + 1));
    // A stop string ends the row once the decoded new text contains it.
    const decode = (t: number[]) => t.map((i) => (i === 384 ? 'b' : 'a')).join('');
    const stopString = generate(model, [r0.prompt], { maxNewTokens: 12, eosTokenId: null, stopStrings: ['ab'], decode });
    expect(stopString.sequences[0]).toEqual(r0.sequence.slice(0, n0 + 2));
    model.dispose();
  });

  it('seeded sampling repeats exactly, and never leaves the top-k set or the top-p nucleus', async () => {
    const model = await load('micro-llama-clm');
    const prompt = [[316, 999, 881, 485, 432]];
    const a = generate(model, prompt, { doSample: true, seed: 7, maxNewTokens: 10, eosTokenId: null, temperature: 0.8, topK: 20, topP: 0.9 });
    const b = generate(model, prompt, { doSample: true, seed: 7, maxNewTokens: 10, eosTokenId: null, temperature: 0.8, topK: 20, topP: 0.9 });
    expect(a.sequences).toEqual(b.sequences);
    const c = generate(model, prompt, { doSample: true, seed: 8, maxNewTokens: 10, eosTokenId: null });
    expect(c.sequences).not.toEqual(a.sequences);
    // Each sampled token must be allowed by top-k 3 at its step: recompute the step's logits with a full forward.
    for (const seed of [1, 2, 3]) {
      const s = generate(model, prompt, { doSample: true, seed, maxNewTokens: 6, eosTokenId: null, topK: 3 }).sequences[0]!;
      const logits = tf.tidy(() => (model.forward({ inputIds: tf.tensor2d([s], [1, s.length], 'int32') }).logits as tf.Tensor).arraySync() as number[][][]);
      for (let t = prompt[0]!.length; t < s.length; t++) {
        const row = logits[0]![t - 1]!;
        const top3 = [...row.keys()].sort((x, y) => row[y]! - row[x]!).slice(0, 3);
        expect(top3, `step ${t}`).toContain(s[t]);
      }
    }
    // And within the top-p nucleus: the smallest set of most likely tokens whose probability reaches p.
    for (const seed of [4, 5, 6]) {
      const s = generate(model, prompt, { doSample: true, seed, maxNewTokens: 6, eosTokenId: null, topP: 0.5 }).sequences[0]!;
      const logits = tf.tidy(() => (model.forward({ inputIds: tf.tensor2d([s], [1, s.length], 'int32') }).logits as tf.Tensor).arraySync() as number[][][]);
      for (let t = prompt[0]!.length; t < s.length; t++) {
        const probs = softmax(Float32Array.from(logits[0]![t - 1]!));
        const order = [...probs.keys()].sort((x, y) => probs[y]! - probs[x]!);
        const nucleus: number[] = [];
        let mass = 0;
        for (const i of order) {
          nucleus.push(i);
          mass += probs[i]!;
          if (mass >= 0.5) break;
        }
        expect(nucleus, `step ${t}`).toContain(s[t]);
      }
    }
    model.dispose();
  });

  it('streamGenerate yields each step with the event loop running between steps, gives generate() its result, and frees the cache when stopped early', async () => {
    const model = await load('micro-gpt2-clm');
    const ref = gen('micro-gpt2-clm').greedy[1]!;
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const it = streamGenerate(model, [ref.prompt], { maxNewTokens: ref.max_new_tokens, eosTokenId: null });
    let r = await it.next();
    while (!r.done) {
      seen.push(r.value.tokens[0]!);
      r = await it.next();
    }
    clearInterval(timer);
    expect(seen).toEqual(ref.sequence.slice(ref.prompt.length));
    expect(r.value.sequences).toEqual([ref.sequence]);
    expect(ticks).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    // A consumer that stops after two tokens (a client that went away) leaves no cache behind.
    let n = 0;
    for await (const step of streamGenerate(model, [ref.prompt], { maxNewTokens: 12, eosTokenId: null })) {
      void step;
      if (++n === 2) break;
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(streamGenerate(model, [ref.prompt], { numBeams: 2 }).next()).rejects.toThrow(/not streamed/);
    model.dispose();
  });

  it('running past GPT-2\'s context fails with a DecoderInputError naming it, and frees the cache', async () => {
    const model = await load('micro-gpt2-clm'); // n_positions 64
    const prompt = [Array.from({ length: 60 }, (_, i) => 10 + i)];
    generate(model, [[1, 2]], { maxNewTokens: 2 }); // warm-up
    const before = tf.memory().numTensors;
    expect(() => generate(model, prompt, { maxNewTokens: 10, eosTokenId: null })).toThrow(/exceeds max_position_embeddings 64/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('logitsToKeep: 1 gives the last position of the full logits (what decoding computes), and refuses labels', async () => {
    for (const name of ['micro-gpt2-clm', 'micro-llama-clm']) {
      const model = await load(name);
      const ids = tf.tensor2d([[5, 6, 7, 8]], [1, 4], 'int32');
      const [full, last] = tf.tidy(() => [model.forward({ inputIds: ids }).logits!.arraySync(), (model.forward as (i: object) => { logits?: tf.Tensor })({ inputIds: ids, logitsToKeep: 1 }).logits!.arraySync()]) as number[][][][];
      expect(last![0]).toEqual([full![0]![3]]);
      expect(() => (model.forward as (i: object) => unknown)({ inputIds: ids, labels: ids, logitsToKeep: 1 })).toThrow(/logitsToKeep with labels/);
      ids.dispose();
      model.dispose();
    }
  });

  it('top-k and top-p keep exactly HF warpers\' sets', () => {
    const scores = Float32Array.from([1, 3, 2, 0, 3]);
    applyTopK(scores, 2);
    expect(Array.from(scores)).toEqual([-Infinity, 3, -Infinity, -Infinity, 3]);
    const logits = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
    const p = Float32Array.from(logits);
    applyTopP(p, 0.75); // 0.5 + 0.3 reach 0.75: the two most likely stay
    expect(Array.from(p).map((x) => x > -Infinity)).toEqual([true, true, false, false]);
    const one = Float32Array.from(logits);
    applyTopP(one, 0.01); // the best token is always kept
    expect(Array.from(one).map((x) => x > -Infinity)).toEqual([true, false, false, false]);
    expect(softmax(Float32Array.from([0, 0])).reduce((x, y) => x + y)).toBeCloseTo(1, 12);
  });

  it('repetition penalty demotes tokens already present (greedy moves off the repeated token)', async () => {
    const model = await load('micro-gpt2-clm');
    const ref = gen('micro-gpt2-clm').greedy[0]!; // greedy repeats 384
    const out = generate(model, [ref.prompt], { maxNewTokens: 12, eosTokenId: null, repetitionPenalty: 10 }).sequences[0]!;
    const fresh = out.slice(ref.prompt.length);
    expect(new Set(fresh).size).toBe(fresh.length);
    model.dispose();
  });

  it('leaks no tensor (greedy, sampling, beam search), and memory grows per token by the cache only', async () => {
    const model = await load('micro-llama-clm');
    const prompt = [[0, 316, 999], [359, 439, 308]];
    const attentionMask = [[0, 1, 1], [1, 1, 1]];
    generate(model, prompt, { attentionMask, maxNewTokens: 4 }); // warm-up
    const before = tf.memory().numTensors;
    generate(model, prompt, { attentionMask, maxNewTokens: 16 });
    generate(model, prompt, { attentionMask, maxNewTokens: 16, doSample: true, seed: 1, topK: 5, topP: 0.9 });
    generate(model, prompt, { attentionMask, maxNewTokens: 8, numBeams: 3 });
    expect(tf.memory().numTensors).toBe(before);
    // Per generated token, memory grows by the cache's new keys and values only: a constant tensor count, and
    // bytes growing by 2 (k, v) × layers × batch × kvHeads × headDim × 4 bytes per step.
    const counts: number[] = [];
    const bytes: number[] = [];
    generate(model, prompt, { attentionMask, maxNewTokens: 12, onToken: () => void (counts.push(tf.memory().numTensors), bytes.push(tf.memory().numBytes)) });
    expect(new Set(counts).size).toBe(1);
    const c = model.config as unknown as { numHiddenLayers: number; numKeyValueHeads: number; headDim: number };
    const perStep = 2 * c.numHiddenLayers * 2 * c.numKeyValueHeads * c.headDim * 4;
    bytes.slice(1).forEach((b, i) => expect(b - bytes[i]!).toBe(perStep));
    expect(() => generate({ task: 'sequence-classification', architecture: 'LlamaForSequenceClassification', config: { padTokenId: 0 }, forward: model.forward } as never, [[1]])).toThrow(/causal-LM head/);
    model.dispose();
  });
});

interface HfCase {
  checkpoint: string;
  case: string;
  input_ids: number[][];
  attention_mask: number[][];
  eos_token_id: number;
  pad_token_id: number;
  options: { max_new_tokens: number; num_beams?: number; num_return_sequences?: number; early_stopping?: boolean | 'never'; length_penalty?: number; repetition_penalty?: number };
  sequences: number[][];
  sequences_scores?: number[];
}
// tools/families/make_generation_cases.py: HF generate in float64 with EOS, left padding, early stopping modes,
// length and repetition penalties.
const HF_CASES = (JSON.parse(readFileSync(join(FAMILY_REF, '..', 'generation', 'hf-generate-cases.json'), 'utf8')) as { cases: HfCase[] }).cases;

describe.each(['cpu', 'wasm'] as const)('generate() against HF generate with EOS, padding, early stopping and penalties on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each(HF_CASES.map((c) => [`${c.checkpoint} ${c.case}`, c] as const))('%s', async (_, c) => {
    const model = await load(c.checkpoint);
    const o = c.options;
    const out = generate(model, c.input_ids, {
      attentionMask: c.attention_mask,
      eosTokenId: c.eos_token_id,
      padTokenId: c.pad_token_id,
      maxNewTokens: o.max_new_tokens,
      numBeams: o.num_beams,
      numReturnSequences: o.num_return_sequences,
      earlyStopping: o.early_stopping,
      lengthPenalty: o.length_penalty,
      repetitionPenalty: o.repetition_penalty,
    });
    expect(out.sequences).toEqual(c.sequences);
    c.sequences_scores?.forEach((ref, i) => expect(Math.abs(out.sequencesScores![i]! - ref), `score ${i}`).toBeLessThanOrEqual(1e-4));
    model.dispose();
  });
});
