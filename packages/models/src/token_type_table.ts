import { tf } from '@attn/tensor';
import { Embedding, type Module } from '@attn/layers';
import type { PretrainedConfig } from './pretrained_config';

/** A model whose inputs have token type ids (BERT, RoBERTa, ALBERT, ELECTRA): config type_vocab_size. */
type TypedConfig = PretrainedConfig & { typeVocabSize: number };

/**
 * Adds one row to the model's token type table (`…embeddings.token_type_embeddings`) and returns its id, the old
 * type_vocab_size. The row starts as a copy of the last one, so the model computes what it did before for every
 * input until training moves it apart; config.json's type_vocab_size grows with it. For a new input feature such as
 * QA's question-match type (HF has no resize for this table; `resize_token_embeddings` is the word table's).
 */
export function addTokenType(model: Module & { config: PretrainedConfig }): number {
  const config = model.config as Partial<TypedConfig>;
  const modules = model.namedModules();
  const found = modules.filter(([name]) => name === 'token_type_embeddings' || name.endsWith('.token_type_embeddings'));
  if (typeof config.typeVocabSize !== 'number' || found.length !== 1 || !(found[0]![1] instanceof Embedding)) {
    throw new TypeError(`a ${model.config.modelType || 'model'} model has no token type table (type_vocab_size) to add a token type to; BERT, ALBERT and ELECTRA have one, DistilBERT has none.`);
  }
  const [path, table] = found[0] as [string, Embedding];
  const parentPath = path.slice(0, Math.max(0, path.lastIndexOf('.')));
  const parent = parentPath ? modules.find(([name]) => name === parentPath)![1] : model;
  const rows = table.config.numEmbeddings;
  const grown = new Embedding({ ...table.config, numEmbeddings: rows + 1 });
  const rowsPlusCopy = tf.tidy(() => tf.concat([table.weight, tf.slice(table.weight, [rows - 1, 0], [1, -1])], 0));
  grown.weight.assign(rowsPlusCopy);
  rowsPlusCopy.dispose();
  grown.weight.trainable = table.weight.trainable;
  parent.replaceModule('token_type_embeddings', grown).dispose();
  config.typeVocabSize = rows + 1;
  // The embeddings layer reads the table's size from its config: the same object as the model's, or its own copy.
  const own = (parent as unknown as { config?: Partial<TypedConfig> }).config;
  if (own && own !== config && typeof own.typeVocabSize === 'number') own.typeVocabSize = rows + 1;
  return rows;
}
