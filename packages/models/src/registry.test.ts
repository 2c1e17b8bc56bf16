import { describe, it, expect, beforeAll } from 'vitest';
import { initBackend } from '@attn/tensor';
import { registeredFamilies, registeredPresets, presetConfig, familyOf, findArchitecture, registerFamily } from './registry';
import { createModel } from './load_model';
import { roberta } from './roberta/family';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('the architecture registry', () => {
  it('knows the encoder families and every architecture by its explicit name', () => {
    expect(registeredFamilies().map((f) => f.modelType)).toEqual(expect.arrayContaining(['bert', 'roberta', 'electra']));
    expect(findArchitecture('RobertaForSequenceClassification')?.family.modelType).toBe('roberta');
    expect(findArchitecture('ElectraForTokenClassification')?.cls.task).toBe('token-classification');
    expect(findArchitecture('BertForPreTraining')?.cls.architecture).toBe('BertForMaskedLM');
  });

  it('an unknown model_type is an error listing the registered families', () => {
    expect(() => familyOf('xlnet')).toThrow(/model_type "xlnet" is not a registered model family; registered: bert, .*roberta.*registerFamily/);
  });

  it('refuses a family registered twice', () => {
    expect(() => registerFamily(roberta)).toThrow(/already registered/);
  });

  it('presets come from the families: presetConfig builds one with overrides, createModel dispatches on its model_type', () => {
    expect(registeredPresets()).toEqual(expect.arrayContaining(['bert-tiny', 'bert-base']));
    const c = presetConfig('bert-tiny', { vocab_size: 100, num_labels: 3 }).withDropout(0.3);
    expect([c.modelType, c.numHiddenLayers, c.hiddenSize, c.vocabSize, c.numLabels]).toEqual(['bert', 2, 128, 100, 3]);
    expect(c.toJSON()).toMatchObject({ hidden_dropout_prob: 0.3, attention_probs_dropout_prob: 0.3 });
    const m = createModel('sequence-classification', c, { seed: 1 });
    expect(m.architecture).toBe('BertForSequenceClassification');
    m.dispose();
    expect(() => presetConfig('gpt-huge')).toThrow(/Unknown preset "gpt-huge"; registered presets: bert-tiny/);
  });
});
