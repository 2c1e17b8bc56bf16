import { describe, it, expect } from 'vitest';
import { generationOptions, parseGenerationSettings } from './generation_settings';

const form = { maxNewTokens: '40', temperature: '0.8', topK: '40', repetitionPenalty: '1' };

describe('parseGenerationSettings', () => {
  it('accepts the form defaults, greedy or sampling, and makes generate() options of them', () => {
    const greedy = parseGenerationSettings(form, true, 56);
    expect(greedy).toEqual({ settings: { maxNewTokens: 40, greedy: true, temperature: 0.8, topK: 40, repetitionPenalty: 1 }, errors: {} });
    expect(generationOptions(greedy.settings!)).toEqual({ maxNewTokens: 40, repetitionPenalty: 1 });
    const sampled = parseGenerationSettings(form, false, 40);
    expect(generationOptions(sampled.settings!)).toEqual({ maxNewTokens: 40, repetitionPenalty: 1, doSample: true, temperature: 0.8, topK: 40 });
  });

  it.each([
    ['maxNewTokens', '0', /^Max new tokens must be a whole number from 1 to 56 \(the context left after the prompt\); got "0"\.$/],
    ['maxNewTokens', '57', /from 1 to 56 .* got "57"/],
    ['maxNewTokens', '2.5', /got "2\.5"/],
    ['maxNewTokens', '', /got ""/],
    ['temperature', '0', /^Temperature must be above 0 and at most 10; got "0"\.$/],
    ['temperature', 'hot', /Temperature .* got "hot"/],
    ['topK', '-1', /^Top-k must be a whole number, 0 for off; got "-1"\.$/],
    ['topK', '1.5', /Top-k .* got "1\.5"/],
    ['repetitionPenalty', '0', /^Repetition penalty must be above 0 and at most 10 \(1 = off\); got "0"\.$/],
    ['repetitionPenalty', '', /Repetition penalty .* got ""/],
  ] as const)('refuses %s = %j with a message for that field', (field, value, message) => {
    const { settings, errors } = parseGenerationSettings({ ...form, [field]: value }, false, 56);
    expect(settings).toBeUndefined();
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
  });

  it('ignores the sampling fields when greedy, and refuses a prompt that fills the context', () => {
    expect(parseGenerationSettings({ ...form, temperature: '0', topK: 'x' }, true, 56).settings).toBeDefined();
    expect(parseGenerationSettings(form, true, 0).errors.maxNewTokens).toMatch(/prompt fills the model's context/);
  });
});
