import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { LlamaConfig, LlamaForCausalLM, createModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import { TextGenerationPipeline } from './text_generation_pipeline';

const TOKENIZER = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/tokenizers/llama-style-bpe/tokenizer.json');
const config = (extra: Record<string, unknown> = {}) =>
  LlamaConfig.fromJSON({
    vocab_size: 4000, hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
    max_position_embeddings: 128, bos_token_id: 1, eos_token_id: 2, tie_word_embeddings: true, initializer_range: 0.05, ...extra,
  });

let tokenizer: Tokenizer;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tokenizer = await Tokenizer.fromFile(TOKENIZER);
});

describe('TextGenerationPipeline', () => {
  it('continues prompts (batched with left padding as each alone), streams the same text piece by piece, leaks nothing', async () => {
    const model = new LlamaForCausalLM(config(), { seed: 1 });
    const pipe = new TextGenerationPipeline(model, tokenizer);
    const before = tf.memory().numTensors;
    const [[one]] = pipe.call('The cat sat', { maxNewTokens: 8 });
    expect(one!.generatedText.startsWith('The cat sat')).toBe(true);
    expect(one!.generatedText.length).toBeGreaterThan('The cat sat'.length);
    const both = pipe.call(['The cat sat', 'A dog ran across the field'], { maxNewTokens: 8 });
    expect(both[0]![0]).toEqual(one);
    expect(both[1]![0]).toEqual(pipe.call('A dog ran across the field', { maxNewTokens: 8 })[0]![0]);
    const [[tail]] = pipe.call('The cat sat', { maxNewTokens: 8, returnFullText: false });
    expect('The cat sat' + tail!.generatedText).toBe(one!.generatedText);
    const pieces: string[] = [];
    const it = pipe.stream('The cat sat', { maxNewTokens: 8 });
    let r = await it.next();
    while (!r.done) {
      pieces.push(r.value);
      r = await it.next();
    }
    expect(pieces.length).toBeGreaterThan(1);
    expect('The cat sat' + pieces.join('')).toBe(one!.generatedText);
    expect(r.value).toBe(tail!.generatedText);
    const beams = pipe.call('The cat sat', { maxNewTokens: 4, numBeams: 3, numReturnSequences: 2 });
    expect(beams[0]).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses a model without a causal-LM head and empty prompts', () => {
    const cls = createModel('sequence-classification', config({ pad_token_id: 0 }), { seed: 1 });
    expect(() => new TextGenerationPipeline(cls, tokenizer)).toThrow(/needs a causal-LM model.*LlamaForSequenceClassification/);
    cls.dispose();
    const model = new LlamaForCausalLM(config(), { seed: 1 });
    expect(() => new TextGenerationPipeline(model, tokenizer).call('')).toThrow(/non-empty prompt/);
    model.dispose();
  });
});

describe("pipeline('text-generation', dir)", () => {
  it('loads a causal LM directory with its tokenizer and generates what the pipeline built by hand does', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { pipeline } = await import('./pipeline');
    const { saveTokenizer } = await import('./pretrained_tokenizer');
    const dir = mkdtempSync(join(tmpdir(), 'attn-textgen-'));
    try {
      const model = new LlamaForCausalLM(config(), { seed: 1 });
      await model.savePretrained(dir);
      await saveTokenizer(tokenizer, dir);
      const byHand = new TextGenerationPipeline(model, tokenizer).call('The cat sat', { maxNewTokens: 6 });
      const pipe = await pipeline('text-generation', dir);
      expect(pipe).toBeInstanceOf(TextGenerationPipeline);
      expect(pipe.call('The cat sat', { maxNewTokens: 6 })).toEqual(byHand);
      model.dispose();
      pipe.model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
