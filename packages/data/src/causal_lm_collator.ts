import type { Collator } from './collator';
import type { CausalLmBatch } from './batches';
import { padToTensor, paddedLength } from './pad_batch';
import { IGNORE_INDEX } from './token_classification';

/** A token sequence for causal-LM training (a block from groupTexts, or one tokenized text). */
export interface CausalLmFeature {
  inputIds: number[];
  attentionMask?: number[];
}

export interface CausalLmCollatorOptions {
  padTokenId: number;
  /** 'right' for training (default); 'left' puts the padding before the tokens, as prompts for generation. */
  paddingSide?: 'right' | 'left';
  padToMultipleOf?: number;
}

/**
 * HF's DataCollatorForLanguageModeling(mlm=False): pads the batch, and labels = the input ids with the padding
 * at -100. The labels are not shifted: the model predicts label t + 1 from token t itself, as HF's models do.
 * Padding is found from the position (not by comparing ids with pad_token_id, as HF does), so a pad id that
 * equals the EOS id still trains the real EOS tokens.
 */
export function causalLmCollator(opts: CausalLmCollatorOptions): Collator<CausalLmFeature, CausalLmBatch> {
  return (items) => {
    const len = paddedLength(
      items.map((f) => f.inputIds),
      opts.padToMultipleOf,
    );
    const left = opts.paddingSide === 'left';
    const place = (row: number[], pad: number) => {
      const fill = Array<number>(len - row.length).fill(pad);
      return left ? [...fill, ...row] : [...row, ...fill];
    };
    const ids = items.map((f) => place(f.inputIds, opts.padTokenId));
    const mask = items.map((f) => place(f.attentionMask ?? f.inputIds.map(() => 1), 0));
    const labels = ids.map((row, i) => row.map((t, j) => (mask[i]![j] ? t : IGNORE_INDEX)));
    const batch: CausalLmBatch = {
      inputIds: padToTensor(ids, len, opts.padTokenId),
      attentionMask: padToTensor(mask, len, 0),
      labels: padToTensor(labels, len, IGNORE_INDEX),
    };
    return batch;
  };
}
