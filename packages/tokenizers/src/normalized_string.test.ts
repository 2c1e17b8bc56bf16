import { describe, expect, it } from 'vitest';
import { NormalizedString } from './normalized_string';

describe('NormalizedString', () => {
  it('maps normalized ranges back to the original, through removals and expansions', () => {
    const ns = new NormalizedString('aİ\u0000b😀c');
    // İ → i + U+0307 (both from İ), NUL removed, 😀 kept (two units, one character).
    ns.mapChars((cp) => (cp === 0x130 ? 'i\u0307' : cp === 0 ? '' : null));
    expect(ns.text).toBe('ai\u0307b😀c');
    expect(ns.convert(1, 3)).toEqual([1, 2]); // "i̇" ← "İ"
    expect(ns.convert(3, 4)).toEqual([3, 4]); // "b" after the removed NUL
    expect(ns.convert(4, 6)).toEqual([4, 6]); // the emoji, two units
    expect(ns.convert(6, 7)).toEqual([6, 7]);
  });

  it('slices keep absolute original offsets; prepend takes the first character range', () => {
    const ns = new NormalizedString('hello world', 10);
    const w = ns.slice(6, 11);
    expect(w.text).toBe('world');
    expect(w.convert(0, 5)).toEqual([16, 21]);
    w.prepend(' ');
    expect(w.text).toBe(' world');
    expect(w.convert(0, 2)).toEqual([16, 17]);
    expect(w.convert(0, 6)).toEqual([16, 21]);
    expect(new NormalizedString('').prepend(' ').text).toBe('');
  });

  it('mapRuns aligns produced characters per matched character, or to the last one', () => {
    const a = new NormalizedString('xe\u0301y');
    a.mapRuns(/e\u0301/gu, (r) => r.normalize('NFC'));
    expect(a.text).toBe('xéy');
    expect(a.convert(1, 2)).toEqual([1, 2]);
    expect(a.convert(2, 3)).toEqual([3, 4]);
    const b = new NormalizedString('a  b');
    b.mapRuns(/ +/gu, () => '_', 'last');
    expect(b.text).toBe('a_b');
    expect(b.convert(1, 2)).toEqual([2, 3]);
  });

  it('transform aligns by position: a composition takes its first part, removed parts are skipped', () => {
    // "a" + U+0308 + U+0301 + "x" under NFC: ä (change -1: a, and U+0308 removed), U+0301, x.
    const ns = new NormalizedString('a\u0308\u0301x');
    ns.transform([['\u00e4', -1], ['\u0301', 0], ['x', 0]]);
    expect(ns.text).toBe('\u00e4\u0301x');
    expect(ns.convert(0, 1)).toEqual([0, 1]);
    expect(ns.convert(1, 2)).toEqual([2, 3]);
    expect(ns.convert(2, 3)).toEqual([3, 4]);
    // An inserted character (change 1) takes the range of the last one consumed: ﬁ → f, i.
    const lig = new NormalizedString('x\ufb01');
    lig.transform([['x', 0], ['f', 0], ['i', 1]]);
    expect(lig.convert(1, 2)).toEqual([1, 2]);
    expect(lig.convert(2, 3)).toEqual([1, 2]);
  });
});
