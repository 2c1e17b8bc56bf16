import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@attn/tokenizers';
import { auditDurableWrites } from '@attn/tensor/testing';
import { BertConfig, createModel } from '@attn/models';
import { loadTokenizer, saveTokenizer } from './pretrained_tokenizer';

const FIX = new URL('../../../fixtures/tokenizers/', import.meta.url).pathname;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'attn-tok-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('saveTokenizer', () => {
  it('a model and its tokenizer saved into one directory: every file flushed, renamed into place, directory flushed', async () => {
    const dir = tmp();
    const model = createModel('sequence-classification', BertConfig.fromJSON({ vocab_size: 32, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16 }));
    const tok = await Tokenizer.fromFile(join(FIX, 'bert-base-uncased/tokenizer.json'));
    const save = async () => {
      await model.savePretrained(dir);
      await saveTokenizer(tok, dir);
    };
    const first = await auditDurableWrites(dir, save);
    const again = await auditDurableWrites(dir, save); // over the previous files
    model.dispose();
    for (const r of [first, again]) {
      expect(r).toEqual({ files: ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'], notDurable: [] });
    }
    expect((await loadTokenizer(dir)).encode('Hello world').ids).toEqual(tok.encode('Hello world').ids);
  });

  it('writes tokenizer_config.json with the class, model_max_length from config.json, casing and special tokens (BERT)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', max_position_embeddings: 512 }));
    const tok = await Tokenizer.fromFile(join(FIX, 'bert-base-uncased/tokenizer.json'));
    await saveTokenizer(tok, dir);
    expect(JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))).toEqual({
      tokenizer_class: 'BertTokenizer',
      model_max_length: 512,
      do_lower_case: true,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    });
    const back = await loadTokenizer(dir);
    expect(back.encode('Hello world').ids).toEqual(tok.encode('Hello world').ids);
  });

  it("RoBERTa: model_max_length is max_position_embeddings minus pad_token_id + 1, byte-level BPE's <s> </s> <pad> <mask>", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'roberta', max_position_embeddings: 514, pad_token_id: 1 }));
    const tok = await Tokenizer.fromBPEFiles(join(FIX, 'roberta-base/vocab.json'), join(FIX, 'roberta-base/merges.txt'), { kind: 'roberta' });
    await saveTokenizer(tok, dir);
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(cfg).toMatchObject({ tokenizer_class: 'RobertaTokenizer', model_max_length: 512, do_lower_case: false, cls_token: '<s>', sep_token: '</s>', pad_token: '<pad>', mask_token: '<mask>' });
  });

  it('without config.json (a tokenizer saved alone) leaves the class and length out', async () => {
    const dir = tmp();
    await saveTokenizer(await Tokenizer.fromFile(join(FIX, 'bert-base-uncased/tokenizer.json')), dir);
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(cfg.tokenizer_class).toBeUndefined();
    expect(cfg.model_max_length).toBeUndefined();
  });
});
