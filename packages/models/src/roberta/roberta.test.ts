import { join } from 'node:path';
import { it, expect } from 'vitest';
import { tf } from '@attn/tensor';
import { loadModel } from '../load_model';
import { FAMILY_REF, describeFamilyReference, familyInputs, familyVectors } from '../../test/family_reference';

describeFamilyReference('RoBERTa', ['micro-roberta-seqcls', 'micro-roberta-tokcls', 'micro-roberta-qa', 'micro-roberta-mlm']);

it('token type ids (all 0, as tokenizers give them) are accepted with type_vocab_size 1 and change nothing', async () => {
  const v = familyVectors('micro-roberta-seqcls');
  const model = await loadModel(join(FAMILY_REF, v.checkpoint));
  const inputs = familyInputs(v);
  tf.tidy(() => {
    const a = model.forward({ inputIds: inputs.inputIds, attentionMask: inputs.attentionMask }).logits!;
    const b = model.forward({ inputIds: inputs.inputIds, attentionMask: inputs.attentionMask, tokenTypeIds: tf.zerosLike(inputs.inputIds) }).logits!;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });
  tf.dispose(Object.values(inputs).filter((x) => x instanceof tf.Tensor) as tf.Tensor[]);
  model.dispose();
});
