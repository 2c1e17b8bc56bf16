import { describe, expect, it } from 'vitest';
import { postprocessQaPredictions } from './qa_postprocess';
import { SentencePrior, sentencePriorWeight, sentenceSpans, setSentencePriorWeight } from './sentence_prior';
import type { QaEvalFeature } from './question_answering';
import type { QaExample } from './squad';

const context = 'Paris is the capital of France. It lies on the Seine. The Eiffel Tower was completed in 1889! "Tourists" love it.';

describe('sentenceSpans', () => {
  it('ends a sentence at . ! ? (and closing quotes) before a capital, digit or opening quote; the spans tile the text', () => {
    const spans = sentenceSpans(context);
    expect(spans.map(([s, e]) => context.slice(s, e).trim())).toEqual([
      'Paris is the capital of France.', 'It lies on the Seine.', 'The Eiffel Tower was completed in 1889!', '"Tourists" love it.',
    ]);
    expect(spans[0]![0]).toBe(0);
    expect(spans.at(-1)![1]).toBe(context.length);
    spans.slice(1).forEach(([s], i) => expect(s).toBe(spans[i]![1]));
    // No break inside "3.5 m" or "e.g. the".
    expect(sentenceSpans('It is 3.5 m long, e.g. the hall.')).toHaveLength(1);
  });
});

describe('SentencePrior', () => {
  it('keeps spans of the best-matching sentence at 0, lowers the others by weight × the score gap, drops spans across sentences', () => {
    const prior = new SentencePrior('When was the Eiffel Tower completed?', context, 8);
    const at = (text: string) => [context.indexOf(text), context.indexOf(text) + text.length] as const;
    expect(prior.logWeight(...at('1889'))).toBe(0);
    expect(prior.logWeight(...at('Eiffel Tower'))).toBe(0);
    expect(prior.logWeight(...at('Paris'))).toBeLessThan(-8);
    expect(prior.logWeight(...at('France. It'))).toBe(-Infinity);
    // Each shared word scores ln(1 + sentences / sentences holding it): "rain" (2 of 3) counts less than "flows" (1 of 3).
    const text = 'Rain falls. Rain flows. Snow stops.';
    const idf = new SentencePrior('Which rain flows?', text, 1);
    expect(idf.logWeight(12, 23)).toBe(0);
    expect(idf.logWeight(0, 11)).toBeCloseTo(-Math.log(1 + 3 / 1), 12);
    expect(idf.logWeight(24, 35)).toBeCloseTo(-Math.log(1 + 3 / 2) - Math.log(1 + 3 / 1), 12);
  });

  it('moves the answer of postprocessQaPredictions into the sentence that matches the question; weight 0 is HF', () => {
    const example: QaExample = { id: 'q', title: '', question: 'When was the Eiffel Tower completed?', context, answers: [], isImpossible: false, source: { file: 'x' } };
    // One token per word of the context (offsets only), logits highest on "Paris" and next on "1889".
    const words = [...context.matchAll(/\S+/g)].map((m) => [m.index!, m.index! + m[0].replace(/[.!]$/, '').length] as [number, number]);
    const feature: QaEvalFeature = { inputIds: [], attentionMask: [], tokenTypeIds: [], exampleId: 'q', exampleIndex: 0, offsetMapping: [null, ...words, null] };
    const logits = feature.offsetMapping.map((o) => (o && context.slice(o[0], o[1]) === 'Paris' ? 5 : o && context.slice(o[0], o[1]) === '1889' ? 3 : 0));
    expect(postprocessQaPredictions([example], [feature], [logits], [logits])[0]!.text).toBe('Paris');
    const [withPrior] = postprocessQaPredictions([example], [feature], [logits], [logits], { sentencePrior: 8 });
    expect(withPrior!.text).toBe('1889');
    expect(withPrior!.score).toBe(6);
  });
});

describe('sentencePriorWeight', () => {
  it("reads task_specific_params['question-answering'].sentence_prior, 0 without it, and writes it back beside other tasks", () => {
    expect(sentencePriorWeight({ extra: {} })).toBe(0);
    const config = { extra: { task_specific_params: { summarization: { max_length: 20 } } } as Record<string, unknown> };
    setSentencePriorWeight(config, 8);
    expect(config.extra['task_specific_params']).toEqual({ summarization: { max_length: 20 }, 'question-answering': { sentence_prior: 8 } });
    expect(sentencePriorWeight(config)).toBe(8);
  });
  it.each([[-1], ['8'], [null as unknown as number]])('refuses %j in one line naming the file and field (null reads as none)', (v) => {
    const config = { extra: { task_specific_params: { 'question-answering': { sentence_prior: v } } } };
    if (v === null) return expect(sentencePriorWeight(config)).toBe(0);
    expect(() => sentencePriorWeight(config, 'm/config.json')).toThrow(
      `m/config.json: field "task_specific_params.question-answering.sentence_prior" must be a non-negative number, got ${JSON.stringify(v)}.`,
    );
  });
});
