import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@attn/tensor';
import { createModel, fromPretrainedBytes, toPretrainedBytes } from './load_model';
import { BertConfig } from './bert/bert_config';
import { BertForQuestionAnswering } from './bert/bert_for_question_answering';
import { ElectraConfig } from './electra/electra_config';
import { DistilBertConfig } from './distilbert/distilbert_config';
import { addTokenType } from './token_type_table';
import type { TaskModel } from './load_model';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const ids = [[2, 7, 9, 3, 11, 12, 7, 3]];
const types = (second: number) => [[0, 0, 0, 0, second, second, second, second]];

function startLogits(model: TaskModel, typeIds: number[][]): number[] {
  return tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d(ids, undefined, 'int32'), attentionMask: tf.onesLike(tf.tensor2d(ids, undefined, 'int32')), tokenTypeIds: tf.tensor2d(typeIds, undefined, 'int32') });
    return Array.from(out.startLogits!.dataSync());
  });
}

describe('addTokenType', () => {
  it('adds a row that starts as a copy of the last, so the model computes what it did, and saves type_vocab_size with it', () => {
    const model = createModel('question-answering', BertConfig.fromJSON({ vocab_size: 20, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32 }), { seed: 5 });
    model.eval();
    const before = startLogits(model, types(1));
    const tensors = tf.memory().numTensors;
    expect(addTokenType(model)).toBe(2);
    expect(tf.memory().numTensors).toBe(tensors);
    expect((model.config as BertConfig).typeVocabSize).toBe(3);
    expect(model.namedParameters().find(([n]) => n.endsWith('token_type_embeddings.weight'))![1].shape).toEqual([3, 16]);
    expect(startLogits(model, types(1))).toEqual(before);
    expect(startLogits(model, types(2))).toEqual(before);
    // The new row trains apart from the old one.
    expect(model.trainableParameters().some(([n]) => n.endsWith('token_type_embeddings.weight'))).toBe(true);

    model.config.extra['question_match_type_id'] = 2;
    const saved = toPretrainedBytes(model);
    const json = JSON.parse(saved.config);
    expect([json.type_vocab_size, json.question_match_type_id]).toEqual([3, 2]);
    const again = fromPretrainedBytes(BertForQuestionAnswering, saved, { quiet: true });
    expect(again.loadingInfo!.missingKeys).toEqual([]);
    again.eval();
    expect(startLogits(again, types(2))).toEqual(before);
    model.dispose();
    again.dispose();
  });

  it('works on a family whose embeddings are narrower than the encoder (ELECTRA)', () => {
    const model = createModel('question-answering', ElectraConfig.fromJSON({ vocab_size: 20, embedding_size: 8, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32 }), { seed: 5 });
    model.eval();
    const before = startLogits(model, types(1));
    expect(addTokenType(model)).toBe(2);
    expect(startLogits(model, types(2))).toEqual(before);
    model.dispose();
  });

  it('refuses a family without a token type table in one line', () => {
    const model = createModel('question-answering', DistilBertConfig.fromJSON({ vocab_size: 20, dim: 16, n_layers: 1, n_heads: 2, hidden_dim: 32 }), { seed: 5 });
    expect(() => addTokenType(model)).toThrow('a distilbert model has no token type table (type_vocab_size) to add a token type to; BERT, ALBERT and ELECTRA have one, DistilBERT has none.');
    model.dispose();
  });
});
