import { describe, it, expect } from 'vitest';
import { checkFineTuneSettings, parseFineTuneSettings } from './fine_tune_settings';

describe('parseFineTuneSettings', () => {
  it('accepts the form defaults', () => {
    expect(parseFineTuneSettings({ steps: '30', batchSize: '8', learningRate: '0.005' })).toEqual({ settings: { steps: 30, batchSize: 8, learningRate: 0.005 }, errors: {} });
    expect(parseFineTuneSettings({ steps: '1', batchSize: '128', learningRate: '1' }).settings).toBeDefined();
  });

  it.each([
    ['steps', '0', /^Steps must be a whole number from 1 to 10000; got "0"\.$/],
    ['steps', '2.5', /Steps .* got "2\.5"/],
    ['steps', '', /Steps .* got ""/],
    ['steps', '10001', /Steps .* got "10001"/],
    ['batchSize', '0', /^Batch must be a whole number from 1 to 128; got "0"\.$/],
    ['batchSize', '-4', /Batch .* got "-4"/],
    ['learningRate', '-1', /^Learning rate must be above 0 and at most 1 \(fine-tuning uses about 1e-5 to 1e-2\); got "-1"\.$/],
    ['learningRate', '0', /Learning rate .* got "0"/],
    ['learningRate', '1e30', /Learning rate .* got "1e30"/],
    ['learningRate', 'abc', /Learning rate .* got "abc"/],
  ] as const)('refuses %s = %j with a message for that field', (field, value, message) => {
    const text = { steps: '30', batchSize: '8', learningRate: '0.005', [field]: value };
    const { settings, errors } = parseFineTuneSettings(text);
    expect(settings).toBeUndefined();
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
  });

  it('reports every bad field at once', () => {
    expect(Object.keys(checkFineTuneSettings({ steps: 0, batchSize: 0, learningRate: NaN })).sort()).toEqual(['batchSize', 'learningRate', 'steps']);
  });
});
