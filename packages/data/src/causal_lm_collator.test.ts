import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initBackend } from '@attn/tensor';
import { causalLmCollator } from './causal_lm_collator';
import { groupTexts } from './group_texts';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('causal-LM data', () => {
  it('collator: labels are the ids (not shifted) with padding at -100, right or left padded; a pad id equal to EOS still trains EOS', () => {
    const items = [{ inputIds: [5, 6, 2] }, { inputIds: [7, 2] }];
    const right = causalLmCollator({ padTokenId: 2 })(items);
    expect(right['inputIds']!.arraySync()).toEqual([[5, 6, 2], [7, 2, 2]]);
    expect(right['attentionMask']!.arraySync()).toEqual([[1, 1, 1], [1, 1, 0]]);
    expect(right['labels']!.arraySync()).toEqual([[5, 6, 2], [7, 2, -100]]);
    const left = causalLmCollator({ padTokenId: 0, paddingSide: 'left', padToMultipleOf: 4 })(items);
    expect(left['inputIds']!.arraySync()).toEqual([[0, 5, 6, 2], [0, 0, 7, 2]]);
    expect(left['attentionMask']!.arraySync()).toEqual([[0, 1, 1, 1], [0, 0, 1, 1]]);
    expect(left['labels']!.arraySync()).toEqual([[-100, 5, 6, 2], [-100, -100, 7, 2]]);
    tf.dispose([...Object.values(right), ...Object.values(left)]);
  });

  it('groupTexts concatenates and cuts blocks as HF run_clm, dropping the remainder unless asked', () => {
    const texts = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]];
    expect([...groupTexts(texts, { blockSize: 4 })].map((b) => b.inputIds)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect([...groupTexts(texts, { blockSize: 4, dropRemainder: false })].map((b) => b.inputIds)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    expect([...groupTexts([[1, 2, 3, 4, 5, 6, 7]], { blockSize: 3 })].map((b) => b.inputIds)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => [...groupTexts(texts, { blockSize: 0 })]).toThrow(/positive integer/);
  });
});
