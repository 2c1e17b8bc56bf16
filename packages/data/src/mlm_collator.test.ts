import { initBackend, tf } from '@attn/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { MlmCollator, type MlmFeature } from './mlm_collator';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const CLS = 101;
const SEP = 102;
const MASK = 103;
const VOCAB = 30522;

/** [CLS] w w w … [SEP], 2 sub-tokens per word; token ids 1000+ so MASK and specials stand out. */
function segment(len: number, offset: number): MlmFeature {
  const body = Array.from({ length: len - 2 }, (_, i) => 1000 + ((offset + i) % 20000));
  const inputIds = [CLS, ...body, SEP];
  return {
    inputIds,
    specialTokensMask: inputIds.map((_, i) => (i === 0 || i === len - 1 ? 1 : 0)),
    wordIds: [null, ...body.map((_, i) => Math.floor(i / 2)), null],
  };
}

function collateOnce(c: MlmCollator, items: MlmFeature[]) {
  const b = c.collate(items);
  const out = {
    ids: b.inputIds!.arraySync() as number[][],
    labels: b.labels!.arraySync() as number[][],
    mask: b.attentionMask!.arraySync() as number[][],
  };
  tf.dispose(Object.values(b));
  return out;
}

describe('MlmCollator', () => {
  it('masks ~15%: 80% [MASK], 10% random, 10% kept; labels -100 elsewhere; specials and padding never', () => {
    const items = Array.from({ length: 64 }, (_, i) => segment(64 + (i % 5) * 8, i * 97));
    const c = new MlmCollator({ maskTokenId: MASK, padTokenId: 0, vocabSize: VOCAB, seed: 7 });
    const before = tf.memory().numTensors;
    let candidates = 0;
    let chosen = 0;
    let masked = 0;
    let random = 0;
    let kept = 0;
    for (let rep = 0; rep < 4; rep++) {
      const { ids, labels, mask } = collateOnce(c, items);
      items.forEach((f, r) => {
        for (let t = 0; t < ids[r]!.length; t++) {
          const real = t < f.inputIds.length;
          const special = real && f.specialTokensMask![t] === 1;
          if (!real || special) {
            expect(labels[r]![t]).toBe(-100);
            if (special) expect(ids[r]![t]).toBe(f.inputIds[t]);
            if (!real) expect([ids[r]![t], mask[r]![t]]).toEqual([0, 0]);
            continue;
          }
          candidates++;
          if (labels[r]![t] === -100) {
            expect(ids[r]![t]).toBe(f.inputIds[t]);
            continue;
          }
          chosen++;
          expect(labels[r]![t]).toBe(f.inputIds[t]);
          if (ids[r]![t] === MASK) masked++;
          else if (ids[r]![t] === f.inputIds[t]) kept++;
          else random++;
        }
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(chosen / candidates).toBeGreaterThan(0.14);
    expect(chosen / candidates).toBeLessThan(0.16);
    expect(masked / chosen).toBeGreaterThan(0.77);
    expect(masked / chosen).toBeLessThan(0.83);
    expect(random / chosen).toBeGreaterThan(0.08);
    expect(kept / chosen).toBeGreaterThan(0.08);
  });

  it('is seeded, and getState/setState replays the same masks', () => {
    const items = [segment(40, 0), segment(33, 5)];
    const a = new MlmCollator({ maskTokenId: MASK, padTokenId: 0, vocabSize: VOCAB, seed: 1 });
    const b = new MlmCollator({ maskTokenId: MASK, padTokenId: 0, vocabSize: VOCAB, seed: 1 });
    const first = collateOnce(a, items);
    expect(collateOnce(b, items)).toEqual(first);
    const state = a.getState();
    const second = collateOnce(a, items);
    expect(second.labels).not.toEqual(first.labels);
    a.setState(state);
    expect(collateOnce(a, items)).toEqual(second);
  });

  it('whole-word masking predicts all sub-tokens of a chosen word together', () => {
    const items = Array.from({ length: 16 }, (_, i) => segment(66, i * 31));
    const c = new MlmCollator({ maskTokenId: MASK, padTokenId: 0, vocabSize: VOCAB, seed: 3, wholeWordMask: true });
    const { labels } = collateOnce(c, items);
    let chosen = 0;
    items.forEach((f, r) => {
      for (let t = 1; t < 65; t += 2) {
        // Tokens t and t+1 form one word.
        expect(labels[r]![t] === -100).toBe(labels[r]![t + 1] === -100);
        if (labels[r]![t] !== -100) chosen += 2;
      }
    });
    expect(chosen / (16 * 64)).toBeCloseTo(0.15, 1);
  });
});
