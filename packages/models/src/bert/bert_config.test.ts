import { describe, it, expect } from 'vitest';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertConfig, BertConfigError } from './bert_config';

const CKPT = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/reference/checkpoints');

describe('BertConfig', () => {
  it('reads an HF config.json, keeps unknown fields and writes them back', async () => {
    const c = await BertConfig.fromFile(join(CKPT, 'micro-tokcls/config.json'));
    expect([c.vocabSize, c.hiddenSize, c.numHiddenLayers, c.numAttentionHeads, c.intermediateSize]).toEqual([1024, 64, 2, 4, 128]);
    expect([c.maxPositionEmbeddings, c.typeVocabSize, c.layerNormEps, c.hiddenAct, c.padTokenId]).toEqual([64, 2, 1e-12, 'gelu', 0]);
    expect(c.numLabels).toBe(9);
    expect(c.id2label[3]).toBe('B-ORG');
    expect(c.label2id['I-MISC']).toBe(8);
    expect(c.architectures).toEqual(['BertForTokenClassification']);
    expect(c.extra['torch_dtype']).toBe('float32');
    const json = c.toJSON();
    expect(json.torch_dtype).toBe('float32');
    expect(json.id2label!['0']).toBe('O');
    expect(BertConfig.fromJSON(json).toJSON()).toEqual(json);
  });

  it('defaults missing fields as HF BertConfig does', () => {
    const c = BertConfig.fromJSON({});
    expect([c.vocabSize, c.hiddenSize, c.numHiddenLayers, c.numAttentionHeads, c.intermediateSize]).toEqual([30522, 768, 12, 12, 3072]);
    expect([c.hiddenDropoutProb, c.attentionProbsDropoutProb, c.initializerRange, c.layerNormEps]).toEqual([0.1, 0.1, 0.02, 1e-12]);
    expect(c.numLabels).toBe(2);
    expect(c.id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1' });
    expect(BertConfig.fromJSON({ num_labels: 3 }).label2id).toEqual({ LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 });
  });

  it('has the BERT miniature presets and BERT-base', () => {
    const sizes = (['bert-tiny', 'bert-mini', 'bert-small', 'bert-medium', 'bert-base'] as const).map((n) => {
      const c = BertConfig.preset(n);
      return [c.numHiddenLayers, c.hiddenSize, c.numAttentionHeads, c.intermediateSize, c.vocabSize, c.maxPositionEmbeddings];
    });
    expect(sizes).toEqual([
      [2, 128, 2, 512, 30522, 512],
      [4, 256, 4, 1024, 30522, 512],
      [4, 512, 8, 2048, 30522, 512],
      [8, 512, 8, 2048, 30522, 512],
      [12, 768, 12, 3072, 30522, 512],
    ]);
    expect(BertConfig.preset('bert-tiny', { num_labels: 5 }).numLabels).toBe(5);
    expect(BertConfig.preset('bert-tiny').with({ num_labels: 4 }).numLabels).toBe(4);
  });

  it('names the file and field in its errors', () => {
    expect(() => BertConfig.fromJSON({ hidden_size: 'big' as unknown as number }, 'x/config.json')).toThrow(/x\/config\.json: field "hidden_size"/);
    expect(() => BertConfig.fromJSON({ hidden_size: 100, num_attention_heads: 3 })).toThrow(BertConfigError);
    expect(() => BertConfig.fromJSON({ position_embedding_type: 'relative_key' })).toThrow(/absolute/);
    return expect(BertConfig.fromFile('/nonexistent/config.json')).rejects.toThrow(/Cannot read \/nonexistent\/config\.json/);
  });
});
