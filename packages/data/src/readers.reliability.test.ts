// Bad-input fuzzing of every @attn/data reader with fast-check. Two kinds of property:
//  - round trip: a file generated from known records parses back to exactly those records
//    (so a reader cannot be "robust" by silently returning something else);
//  - hostile text: arbitrary / mutated input gives examples or a DataError, never another
//    exception, and never takes over 5 s.
// The long run (thousands of cases each) is `node tools/reliability/fuzz.mjs`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError, parseConll, parseDelimited, parseJsonl, parseSquad } from './index';

const RUNS = Number(process.env.ATTN_FUZZ_RUNS ?? 300);
const LABELS = ['neg', 'pos', '0', '1'];

/** Runs `f`; a DataError is an accepted outcome, anything else fails the property. */
function onlyDataError<T>(f: () => T): T | DataError {
  const t0 = performance.now();
  try {
    return f();
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
    return e;
  } finally {
    expect(performance.now() - t0).toBeLessThan(5000);
  }
}

// Arbitrary unicode (lone surrogates included) and the characters that matter to these formats.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\t', ',', '"', '\n', '\r', ' ', '{', '}', '[', ']', ':', 'a', '-', '\ufeff', '\u2028', '\ud800'), maxLength: 60 }),
);

describe('TSV / CSV', () => {
  const cell = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[\t\r\n]/g, ' ').trim());
  it('TSV round trip: generated rows parse back exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, fc.constantFrom(...LABELS)), { minLength: 1, maxLength: 20 }), (rows) => {
        const text = 'sentence\tlabel\n' + rows.map(([t, l]) => `${t}\t${l}`).join('\n') + '\n';
        const { examples } = parseDelimited(text, { format: 'tsv', textColumn: 'sentence', labelColumn: 'label', labels: LABELS });
        expect(examples.map((e) => [e.text, e.label])).toEqual(rows);
      }),
      { numRuns: RUNS, seed: 1 },
    );
  });

  it('CSV round trip with quotes, commas and newlines inside quoted fields', () => {
    const csvCell = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/\r/g, '').trim());
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    fc.assert(
      fc.property(fc.array(fc.tuple(csvCell, csvCell, fc.constantFrom(...LABELS)), { minLength: 1, maxLength: 12 }), (rows) => {
        const text = 'a,b,label\r\n' + rows.map(([a, b, l]) => `${quote(a)},${quote(b)},${l}`).join('\r\n');
        const { examples } = parseDelimited(text, { format: 'csv', textColumn: 'a', textPairColumn: 'b', labelColumn: 'label' });
        expect(examples.map((e) => [e.text, e.textPair, e.label])).toEqual(rows);
      }),
      { numRuns: RUNS, seed: 2 },
    );
  });

  it('hostile TSV/CSV text: examples or DataError', () => {
    fc.assert(
      fc.property(fc.constantFrom<'tsv' | 'csv'>('tsv', 'csv'), fc.array(nasty, { maxLength: 8 }), fc.constantFrom('throw', 'skip'), (format, lines, onError) => {
        const r = onlyDataError(() =>
          parseDelimited(['text\tlabel,x', ...lines].join('\n'), { format, textColumn: 'text\tlabel'.split(format === 'tsv' ? '\t' : ',')[0]!, labelColumn: format === 'tsv' ? 'label,x' : undefined, onError: onError as 'throw' | 'skip' }),
        );
        if (!(r instanceof DataError)) for (const e of r.examples) expect(typeof e.text).toBe('string');
      }),
      { numRuns: RUNS, seed: 3 },
    );
  });
});

describe('JSONL', () => {
  it('round trip: generated objects parse back exactly (numbers and booleans as strings)', () => {
    const label = fc.oneof(fc.constantFrom(...LABELS), fc.integer({ min: 0, max: 9 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(fc.record({ text: fc.string({ unit: 'binary', maxLength: 40 }), label, extra: fc.jsonValue({ maxDepth: 2 }) }), { minLength: 1, maxLength: 15 }), (rows) => {
        const text = rows.map((r) => JSON.stringify({ meta: { text: r.text }, label: r.label, extra: r.extra })).join('\n');
        const { examples } = parseJsonl(text, { textField: 'meta.text', labelField: 'label' });
        expect(examples.map((e) => [e.text, e.label])).toEqual(rows.map((r) => [r.text, String(r.label)]));
      }),
      { numRuns: RUNS, seed: 4 },
    );
  });

  it('hostile JSONL: examples or DataError', () => {
    const line = fc.oneof(nasty, fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)), fc.anything().map((v) => JSON.stringify({ text: v, label: v }) ?? 'undefined'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('throw', 'skip'), (lines, onError) => {
        const r = onlyDataError(() => parseJsonl(lines.join('\n'), { textField: 'text', labelField: 'label', onError: onError as 'throw' | 'skip' }));
        if (!(r instanceof DataError)) for (const e of r.examples) expect(typeof e.text).toBe('string');
      }),
      { numRuns: RUNS, seed: 5 },
    );
  });
});

describe('CoNLL', () => {
  // A word: no whitespace (as JS's \s defines it) and not a -DOCSTART- marker.
  const word = fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).filter((w) => /^\S+$/.test(w) && !w.startsWith('-DOCSTART-'));
  const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
  it('round trip: generated sentences parse back exactly', () => {
    const sentence = fc.array(fc.tuple(word, fc.constantFrom(...TAGS)), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 6 }), (sentences) => {
        const text = '-DOCSTART- -X- -X- O\n\n' + sentences.map((s) => s.map(([w, t]) => `${w} NN O ${t}`).join('\n')).join('\n\n') + '\n';
        const { examples } = parseConll(text, { labels: TAGS });
        expect(examples.map((e) => e.words)).toEqual(sentences.map((s) => s.map(([w]) => w)));
        expect(examples.map((e) => e.tags)).toEqual(sentences.map((s) => s.map(([, t]) => t)));
      }),
      { numRuns: RUNS, seed: 6 },
    );
  });

  it('hostile CoNLL text: examples with one tag per word, or DataError', () => {
    fc.assert(
      fc.property(fc.array(nasty, { maxLength: 12 }), fc.constantFrom(-1, 0, 1, 3, -5), fc.boolean(), (lines, tagColumn, iob1) => {
        const r = onlyDataError(() => parseConll(lines.join('\n'), { tagColumn, iob1ToIob2: iob1, onError: 'skip' }));
        if (!(r instanceof DataError)) for (const e of r.examples) expect(e.tags.length).toBe(e.words.length);
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });
});

describe('SQuAD', () => {
  const squadDoc = fc
    .array(
      fc.record({
        context: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        question: fc.string({ unit: 'binary', maxLength: 20 }),
        spans: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
        impossible: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((paras) => ({
      version: 'v2.0',
      data: [{
        title: 'T',
        paragraphs: paras.map((p, i) => ({
          context: p.context,
          qas: [{
            id: `q${i}`, question: p.question, is_impossible: p.impossible,
            answers: p.impossible ? [] : p.spans.map(([a, b]) => {
              const start = a % p.context.length;
              const len = 1 + (b % (p.context.length - start));
              return { text: p.context.slice(start, start + len), answer_start: start };
            }),
          }],
        })),
      }],
    }));

  it('round trip: generated SQuAD files parse back exactly', () => {
    fc.assert(
      fc.property(squadDoc, (doc) => {
        const { examples } = parseSquad(JSON.stringify(doc));
        const paras = doc.data[0]!.paragraphs;
        expect(examples.map((e) => [e.id, e.context, e.isImpossible, e.answers.map((a) => [a.text, a.answerStart])])).toEqual(
          paras.map((p) => [p.qas[0]!.id, p.context, p.qas[0]!.is_impossible, p.qas[0]!.answers.map((a) => [a.text, a.answer_start])]),
        );
      }),
      { numRuns: RUNS, seed: 8 },
    );
  });

  it('mutated SQuAD files: answers that are where they say, or DataError', () => {
    const junk = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 100 }), fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant([]), fc.constant({}));
    const paths = (doc: unknown): string[][] => {
      const out: string[][] = [];
      const walk = (v: unknown, path: string[]) => {
        out.push(path);
        if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
      };
      walk(doc, []);
      return out;
    };
    fc.assert(
      fc.property(squadDoc, fc.nat(), junk, fc.constantFrom('throw', 'skip'), (doc, pick, value, onError) => {
        const all = paths(doc).filter((p) => p.length > 0);
        const path = all[pick % all.length]!;
        let parent: Record<string, unknown> = doc as unknown as Record<string, unknown>;
        for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
        parent[path.at(-1)!] = value;
        const r = onlyDataError(() => parseSquad(JSON.stringify(doc), { onError: onError as 'throw' | 'skip' }));
        if (r instanceof DataError) return;
        for (const e of r.examples) {
          for (const a of e.answers) {
            expect(Number.isInteger(a.answerStart) && a.answerStart >= 0).toBe(true);
            expect(e.context.slice(a.answerStart, a.answerStart + a.text.length)).toBe(a.text);
          }
        }
      }),
      { numRuns: RUNS * 2, seed: 9 },
    );
  });

  it('hostile SQuAD text: DataError', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.jsonValue({ maxDepth: 4 }).map((j) => JSON.stringify(j))), (text) => {
        onlyDataError(() => parseSquad(text));
      }),
      { numRuns: RUNS, seed: 10 },
    );
  });
});
