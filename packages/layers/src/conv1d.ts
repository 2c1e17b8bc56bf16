import type { Generator } from '@attn/tensor';
import { Linear } from './linear';

export interface Conv1DConfig {
  /** HF's nx: input features. */
  inFeatures: number;
  /** HF's nf: output features. */
  outFeatures: number;
  initializerRange?: number;
}

/**
 * HF's Conv1D (GPT-2): a Linear whose checkpoint weight is stored [in, out], the layout attn computes with, so
 * checkpoint I/O does not transpose it (a torch nn.Linear is [out, in]). Always has a bias.
 */
export class Conv1D extends Linear {
  constructor(config: Conv1DConfig, opts: { rng?: Generator } = {}) {
    super({ inFeatures: config.inFeatures, outFeatures: config.outFeatures, initializerRange: config.initializerRange }, { ...opts, transposedVsTorch: false });
  }
}
