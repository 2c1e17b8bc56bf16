// Hostile config.json files: fast-check mutations of a valid config give a BertConfig whose
// fields are what the file says, or a BertConfigError naming the file; deeply nested JSON is
// refused before anything recurses into it. Long run: `node tools/reliability/fuzz.mjs`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BertConfig, BertConfigError } from '../index';

const RUNS = Number(process.env.ATTN_FUZZ_RUNS ?? 300);
const VALID = {
  architectures: ['BertForSequenceClassification'], vocab_size: 100, hidden_size: 16, num_hidden_layers: 2,
  num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 64, hidden_act: 'gelu',
  hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, type_vocab_size: 2, initializer_range: 0.02,
  layer_norm_eps: 1e-12, pad_token_id: 0, id2label: { 0: 'neg', 1: 'pos' }, label2id: { neg: 0, pos: 1 },
};
const FIELDS = Object.keys(VALID).concat(['num_labels', 'classifier_dropout', 'problem_type', 'position_embedding_type']);

function check(obj: unknown): BertConfig | BertConfigError {
  try {
    return BertConfig.fromJSON(obj as Record<string, unknown>, 'fuzz/config.json');
  } catch (e) {
    if (!(e instanceof BertConfigError)) throw e;
    expect(e.message).toContain('fuzz/config.json');
    return e;
  }
}

describe('config.json fuzzing', () => {
  it('mutated configs: a faithful BertConfig or a BertConfigError', () => {
    const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.double(), fc.integer({ min: -3, max: 1 << 20 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...FIELDS), junk), { maxLength: 4 }), (edits) => {
        const obj: Record<string, unknown> = JSON.parse(JSON.stringify(VALID));
        for (const [k, v] of edits) obj[k] = v;
        const c = check(obj);
        if (c instanceof BertConfigError) return;
        // Whatever was accepted is what the file says, and usable.
        for (const [field, value] of [['vocabSize', c.vocabSize], ['hiddenSize', c.hiddenSize], ['numHiddenLayers', c.numHiddenLayers], ['numAttentionHeads', c.numAttentionHeads], ['intermediateSize', c.intermediateSize], ['maxPositionEmbeddings', c.maxPositionEmbeddings]] as const) {
          expect(Number.isInteger(value) && value >= 0, field).toBe(true);
        }
        expect(c.hiddenSize % c.numAttentionHeads).toBe(0);
        expect(c.hiddenDropoutProb >= 0 && c.hiddenDropoutProb <= 1).toBe(true);
        expect(c.attentionProbsDropoutProb >= 0 && c.attentionProbsDropoutProb <= 1).toBe(true);
        // Labels: ids 0..n-1, names strings.
        const ids = Object.keys(c.id2label).map(Number).sort((a, b) => a - b);
        expect(ids).toEqual(Array.from({ length: c.numLabels }, (_, i) => i));
        expect(Object.values(c.id2label).every((v) => typeof v === 'string')).toBe(true);
        if (c.architectures) expect(c.architectures.every((a) => typeof a === 'string')).toBe(true);
        expect(() => JSON.stringify(c.toJSON())).not.toThrow();
      }),
      { numRuns: RUNS, seed: 11 },
    );
  });

  it('arbitrary JSON values as a whole config: BertConfig or BertConfigError', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => void check(v)), { numRuns: RUNS, seed: 12 });
  });

  it('fromFile: a 100,000-deep nested config.json is refused with a BertConfigError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attn-cfg-'));
    const path = join(dir, 'config.json');
    const deep = '{"x":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    writeFileSync(path, JSON.stringify(VALID).slice(0, -1) + `,"extra_field":${deep}}`);
    await expect(BertConfig.fromFile(path)).rejects.toThrow(BertConfigError);
    await expect(BertConfig.fromFile(path)).rejects.toThrow(/nest/);
    writeFileSync(path, 'x'.repeat(1000));
    await expect(BertConfig.fromFile(path)).rejects.toThrow(BertConfigError);
    rmSync(dir, { recursive: true, force: true });
  });
});
