import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertModelTask } from './model_task';

function modelDir(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'attn-model-task-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('assertModelTask', () => {
  it('accepts the task head of any family, matched by suffix', () => {
    expect(() => assertModelTask(modelDir({ architectures: ['BertForSequenceClassification'] }), 'sequence-classification', 'classify')).not.toThrow();
    expect(() => assertModelTask(modelDir({ architectures: ['RobertaForTokenClassification'] }), 'token-classification', 'ner')).not.toThrow();
    expect(() => assertModelTask(modelDir({ architectures: ['DistilBertForQuestionAnswering'] }), 'question-answering', 'qa')).not.toThrow();
    expect(() => assertModelTask(modelDir({ model_type: 'bert' }), 'question-answering', 'qa')).not.toThrow();
  });

  it('refuses another task in one line saying what the model is and what the app needs', () => {
    const ner = modelDir({ architectures: ['BertForTokenClassification'] });
    expect(() => assertModelTask(ner, 'sequence-classification', 'classify')).toThrow(
      `--model ${ner} is a token-classification model (BertForTokenClassification); classify needs a sequence-classification model.`,
    );
    const sentiment = modelDir({ architectures: ['RobertaForSequenceClassification'] });
    expect(() => assertModelTask(sentiment, 'token-classification', 'ner')).toThrow(/is a sequence-classification model \(RobertaForSequenceClassification\); ner needs a token-classification model\.$/);
    expect(() => assertModelTask(modelDir({ architectures: ['BertModel'] }), 'question-answering', 'qa')).toThrow(/is a model without a task head \(BertModel\); qa needs a question-answering model/);
    expect(() => assertModelTask(modelDir({ architectures: ['BertForMaskedLM'] }), 'question-answering', 'qa')).toThrow(/is a masked-language model/);
  });
});
