import { describe, expect, it } from 'vitest';
import { iob1ToIob2 } from './iob';

describe('iob1ToIob2', () => {
  it('opens every entity with B- and keeps IOB2 input unchanged', () => {
    expect(iob1ToIob2(['I-PER', 'I-PER', 'O', 'I-LOC', 'B-LOC', 'I-ORG'])).toEqual(['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'B-ORG']);
    const iob2 = ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'I-LOC'];
    expect(iob1ToIob2(iob2)).toEqual(iob2);
  });
});
