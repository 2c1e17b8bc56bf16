import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, copyFileSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@attn/tensor';
import { auditDurableWrites } from '@attn/tensor/testing';
import { LlamaConfig, LlamaForCausalLM, createModel, loadModel } from '@attn/models';
import { generateCommand } from './commands/generate';
import { evaluateCommand } from './commands/evaluate';
import { trainCommand } from './commands/train';
import { serveCommand } from './commands/serve';
import { initCausalLM } from './causal_lm_dir';

const TOKENIZER = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/tokenizers/llama-style-bpe/tokenizer.json');
const SENTENCES = [
  'The cat sat on the mat and looked at the door.',
  'A dog ran across the field to find the ball.',
  'The old man walked slowly along the river in the morning.',
  'She opened the window and the cold air came into the room.',
];

let tmp = '';
let modelDir = '';
let corpus = '';
const quiet = () => undefined;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tmp = mkdtempSync(join(tmpdir(), 'attn-generate-'));
  modelDir = join(tmp, 'tiny-llama');
  const config = LlamaConfig.fromJSON({
    vocab_size: 4000, hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
    max_position_embeddings: 128, bos_token_id: 1, eos_token_id: 2, tie_word_embeddings: true, initializer_range: 0.05,
  });
  const model = new LlamaForCausalLM(config, { seed: 1 });
  await model.savePretrained(modelDir);
  model.dispose();
  copyFileSync(TOKENIZER, join(modelDir, 'tokenizer.json'));
  corpus = join(tmp, 'corpus.txt');
  writeFileSync(corpus, Array.from({ length: 40 }, (_, i) => SENTENCES[i % SENTENCES.length]).join('\n') + '\n');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('attn-generate', () => {
  it('generate streams one prompt token by token (prompt first), greedy repeats, seeded sampling repeats', async () => {
    let streamed = '';
    const [text] = await generateCommand({ model: modelDir, prompts: ['The cat'], maxNewTokens: '8', backend: 'cpu' }, (s) => void (streamed += s));
    expect(streamed).toBe(`The cat${text}\n`);
    const [again] = await generateCommand({ model: modelDir, prompts: ['The cat'], maxNewTokens: '8', backend: 'cpu' }, quiet);
    expect(again).toBe(text);
    const sample = () => generateCommand({ model: modelDir, prompts: ['The cat'], maxNewTokens: '8', doSample: true, topK: '20', seed: '3', backend: 'cpu' }, quiet);
    expect(await sample()).toEqual(await sample());
    // Two prompts are batched with left padding and give what each gives alone.
    const both = await generateCommand({ model: modelDir, prompts: ['The cat', 'A dog ran across'], maxNewTokens: '8', backend: 'cpu' }, quiet);
    expect(both[0]).toBe(text);
    const beams = await generateCommand({ model: modelDir, prompts: ['The cat'], maxNewTokens: '4', numBeams: '3', numReturnSequences: '2', backend: 'cpu' }, quiet);
    expect(beams).toHaveLength(2);
  });

  it('generate without --model continues with the default, models/attn-gpt2-tiny (greedy, fixed text)', async () => {
    const [text] = await generateCommand({ prompts: ['It was a dark and stormy night'], maxNewTokens: '8', backend: 'cpu' }, quiet);
    expect(text).toBe(', and the same time, and the');
  });

  it('serve without --model serves the default, models/attn-gpt2-tiny', async () => {
    const server = await serveCommand({ port: '0', backend: 'cpu' }, quiet);
    try {
      const r = await fetch(`http://127.0.0.1:${server.port}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'It was a dark and stormy night', maxNewTokens: 8 }) });
      expect(await r.json()).toEqual({ prompt: 'It was a dark and stormy night', text: ', and the same time, and the' });
    } finally {
      await server.close();
    }
  });

  it('refuses an empty prompt, bad flags and a model without a causal-LM head, in one line', async () => {
    await expect(generateCommand({ model: modelDir, prompts: [''], backend: 'cpu' }, quiet)).rejects.toThrow(/non-empty prompt/);
    await expect(generateCommand({ model: modelDir, prompts: ['x'], topP: '2', backend: 'cpu' }, quiet)).rejects.toThrow(/--top-p must be a number in/);
    await expect(generateCommand({ model: modelDir, prompts: ['x'], numBeams: '2', numReturnSequences: '3', backend: 'cpu' }, quiet)).rejects.toThrow(/numReturnSequences 3 exceeds numBeams 2/);
    const clsDir = join(tmp, 'classifier');
    const cls = createModel('sequence-classification', LlamaConfig.fromJSON({ vocab_size: 4000, hidden_size: 16, intermediate_size: 32, num_hidden_layers: 1, num_attention_heads: 2, pad_token_id: 0 }), { seed: 1 });
    await cls.savePretrained(clsDir);
    cls.dispose();
    await expect(generateCommand({ model: clsDir, prompts: ['x'], backend: 'cpu' }, quiet)).rejects.toThrow(/LlamaForSequenceClassification.*needs a causal-LM model/);
    await expect(generateCommand({ model: join(tmp, 'nothing'), prompts: ['x'], backend: 'cpu' }, quiet)).rejects.toThrow(/no config.json/);
  });

  it('train lowers held-out perplexity each epoch, saves an HF directory that eval and loadModel read back; LoRA saves merged weights', async () => {
    const before = await evaluateCommand({ model: modelDir, data: corpus, blockSize: '16', backend: 'cpu' }, quiet);
    expect(before.perplexity).toBeGreaterThan(100); // random weights over a 4,000-token vocabulary
    const out = join(tmp, 'tuned');
    const r = await trainCommand({ model: modelDir, data: corpus, out, blockSize: '16', batchSize: '4', epochs: '3', lr: '3e-3', validationSplit: '0.1', backend: 'cpu' }, quiet);
    expect(r.epochPerplexity).toHaveLength(3);
    expect(r.epochPerplexity[2]!).toBeLessThan(r.epochPerplexity[0]!);
    expect(r.dev!.perplexity).toBeLessThan(before.perplexity / 4);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'loss_curve.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'loss_curve.svg'), 'utf8')).toContain('<svg');
    const reloaded = await loadModel(out);
    expect(reloaded.architecture).toBe('LlamaForCausalLM');
    reloaded.dispose();

    const loraOut = join(tmp, 'lora');
    const lora = await trainCommand({ model: modelDir, data: corpus, out: loraOut, blockSize: '16', batchSize: '4', epochs: '2', lr: '1e-2', loraRank: '4', backend: 'cpu' }, quiet);
    expect(lora.dev!.perplexity).toBeLessThan(before.perplexity);
    const merged = await loadModel(loraOut);
    expect(merged.loadingInfo!.unexpectedKeys).toEqual([]);
    expect(merged.namedParameters().some(([n]) => n.includes('lora_'))).toBe(false);
    merged.dispose();
    // The merged save reproduces the adapted model's held-out perplexity.
    const again = await evaluateCommand({ model: loraOut, data: corpus, blockSize: '16', backend: 'cpu' }, quiet);
    expect(again.tokens).toBeGreaterThan(0);
  });

  it('train --config --tokenizer pretrains from scratch: seeded init saved to <out>/init, --max-steps updates, then a loadable model', async () => {
    const config = join(tmp, 'scratch-config.json');
    writeFileSync(config, JSON.stringify({
      architectures: ['GPT2LMHeadModel'], model_type: 'gpt2', vocab_size: 4000, n_positions: 32, n_embd: 16, n_layer: 1, n_head: 2,
      resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0, bos_token_id: 1, eos_token_id: 2,
    }));
    const out = join(tmp, 'scratch');
    let r!: Awaited<ReturnType<typeof trainCommand>>;
    const audit = await auditDurableWrites(out, async () => (r = await trainCommand({ config, tokenizer: TOKENIZER, data: corpus, out, blockSize: '16', batchSize: '4', maxSteps: '3', loggingSteps: '1', lr: '1e-2', seed: '5', backend: 'cpu' }, quiet)));
    // Every file it saves (init/, the model, the loss curve) is durable but the appended log.jsonl.
    expect(audit.files).toEqual(expect.arrayContaining(['init/model.safetensors', 'model.safetensors', 'loss_curve.svg']));
    expect(audit.notDurable).toEqual(['log.jsonl: content never flushed (fsync) before it was put in place']);
    // <out>/init holds the seeded initial weights: the same seed initialises the same model again.
    const { model: again } = await initCausalLM(config, TOKENIZER, 5);
    await again.savePretrained(join(tmp, 'scratch-again'));
    again.dispose();
    expect(readFileSync(join(out, 'init', 'model.safetensors'))).toEqual(readFileSync(join(tmp, 'scratch-again', 'model.safetensors')));
    const init = await evaluateCommand({ model: join(out, 'init'), data: corpus, blockSize: '16', backend: 'cpu' }, quiet);
    expect(r.dev!.perplexity).toBeLessThan(init.perplexity);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { step: number; loss?: number });
    expect(log.filter((e) => e.loss !== undefined).map((e) => e.step)).toEqual([1, 2, 3]);
    const model = await loadModel(out);
    expect(model.architecture).toBe('GPT2LMHeadModel');
    model.dispose();

    await expect(trainCommand({ config, data: corpus, out: join(tmp, 'x'), backend: 'cpu' }, quiet)).rejects.toThrow(/--config config.json --tokenizer tokenizer.json/);
    await expect(trainCommand({ model: modelDir, config, tokenizer: TOKENIZER, data: corpus, out: join(tmp, 'x'), backend: 'cpu' }, quiet)).rejects.toThrow(/not both/);
    const small = join(tmp, 'small-vocab.json');
    writeFileSync(small, JSON.stringify({ model_type: 'gpt2', vocab_size: 100, n_positions: 32, n_embd: 16, n_layer: 1, n_head: 2 }));
    await expect(trainCommand({ config: small, tokenizer: TOKENIZER, data: corpus, out: join(tmp, 'x'), backend: 'cpu' }, quiet)).rejects.toThrow(/vocab_size 100 is smaller than the tokenizer's 4000 tokens/);
  });

  it('serve: POST /generate answers JSON or streams server-sent events; bad requests get a 400 naming what is wrong', async () => {
    const server = await serveCommand({ model: modelDir, port: '0', maxNewTokens: '6', backend: 'cpu' }, quiet);
    const url = `http://127.0.0.1:${server.port}`;
    const post = (body: unknown) => fetch(`${url}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      const [expected] = await generateCommand({ model: modelDir, prompts: ['The cat'], maxNewTokens: '6', backend: 'cpu' }, quiet);
      const r = await post({ prompt: 'The cat' });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ prompt: 'The cat', text: expected });

      const sse = await post({ prompt: 'The cat', stream: true });
      expect(sse.headers.get('content-type')).toBe('text/event-stream');
      const events = (await sse.text()).split('\n\n').filter((e) => e.trim() !== '');
      const pieces = events.filter((e) => e.startsWith('data: ')).map((e) => (JSON.parse(e.slice(6)) as { text: string }).text);
      expect(pieces.join('')).toBe(expected);
      const done = events.find((e) => e.startsWith('event: done'))!;
      expect(JSON.parse(done.split('data: ')[1]!)).toEqual({ text: expected, pieces: pieces.length });

      const beams = await post({ prompt: 'The cat', numBeams: 3, numReturnSequences: 2, maxNewTokens: 3 });
      expect(((await beams.json()) as { texts: string[] }).texts).toHaveLength(2);

      const bad = async (body: unknown, pattern: RegExp) => {
        const res = await post(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(((await res.json()) as { error: string }).error).toMatch(pattern);
      };
      await bad({ prompt: '' }, /"prompt" must be a non-empty string/);
      await bad({ prompt: 'x', maxNewTokens: 500 }, /exceed the model's context of 128 tokens/);
      await bad({ prompt: 'x', temprature: 0.7 }, /Unknown option "temprature"/);
      await bad({ prompt: 'x', topP: 0 }, /"topP" must be a number in \(0, 1\]/);
      await bad([1, 2], /JSON object/);
      const notJson = await fetch(`${url}/generate`, { method: 'POST', body: '{nope' });
      expect(notJson.status).toBe(400);
      expect((await fetch(`${url}/nothing`)).status).toBe(404);
      expect(((await (await fetch(`${url}/health`)).json()) as { model: string }).model).toBe('LlamaForCausalLM');
    } finally {
      await server.close();
    }
  });
});
