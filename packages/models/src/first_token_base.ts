import { readFirstRowsOnly } from '@attn/tensor';
import type { ModelInputs, ModelOutput } from './model_io';

/**
 * The backbone's forward for a head that reads only each sequence's first position (the sequence classifiers): fused
 * eval-mode layers then skip padded rows, and the last layer computes the first rows alone past K and V (@attn/tensor
 * readFirstRowsOnly), since nothing reads the other rows. Returned hidden states (outputHiddenStates) keep every row
 * as computed in full.
 */
export function firstTokenBaseForward(inputs: ModelInputs, forward: () => ModelOutput): ModelOutput {
  return inputs.outputHiddenStates ? forward() : readFirstRowsOnly(forward);
}
