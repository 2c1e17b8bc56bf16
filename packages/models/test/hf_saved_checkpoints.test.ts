// Checkpoints written by HuggingFace transformers' own save_pretrained (tools/hf-check/make_hf_saved_fixture.py,
// transformers 5.18): a bare BertModel (keys without `bert.`), a token classifier and a masked LM whose tied
// decoder HF omits. fromPretrained must load each with nothing missing or unused and reproduce HF's outputs.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend, type BackendName } from '@attn/tensor';
import { BertModel, BertForTokenClassification, BertForMaskedLM, type ModelOutput } from '../src/index';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/hf-saved');
interface Expected {
  inputs: { input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][] };
  models: Record<string, Record<string, { shape: number[]; data: number[] }>>;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;

describe.each(['cpu', 'wasm'] as BackendName[])('checkpoints saved by HF transformers, on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each([
    ['BertModel', BertModel],
    ['BertForTokenClassification', BertForTokenClassification],
    ['BertForMaskedLM', BertForMaskedLM],
  ] as const)('%s loads completely and matches HF', async (name, cls) => {
    const model = await (cls as typeof BertModel).fromPretrained(join(DIR, name));
    expect(model.loadingInfo).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    tf.tidy(() => {
      const { input_ids, attention_mask, token_type_ids } = expected.inputs;
      const out = model.forward({
        inputIds: tf.tensor2d(input_ids, undefined, 'int32'),
        attentionMask: tf.tensor2d(attention_mask, undefined, 'int32'),
        tokenTypeIds: tf.tensor2d(token_type_ids, undefined, 'int32'),
      });
      const byName: Record<string, keyof ModelOutput> = { last_hidden_state: 'lastHiddenState', pooler_output: 'poolerOutput', logits: 'logits' };
      for (const [key, ref] of Object.entries(expected.models[name]!)) {
        const got = out[byName[key]!] as tf.Tensor;
        expect(got.shape, key).toEqual(ref.shape);
        const d = Array.from(got.dataSync()).reduce((m, v, i) => Math.max(m, Math.abs(v - ref.data[i]!)), 0);
        expect(d, `${name} ${key}: max |attn - hf| = ${d}`).toBeLessThanOrEqual(1e-5);
      }
    });
    model.dispose();
  });
});
