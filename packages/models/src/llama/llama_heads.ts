import { tf, matMul } from '@attn/tensor';
import { Linear } from '@attn/layers';
import { initGenerator, type ModelInitOptions, type ModelTask } from '../pretrained_model';
import type { ModelOutput } from '../model_io';
import { lastPositions, type DecoderInputs } from '../decoder_io';
import { causalLanguageModelingLoss } from '../causal_lm_loss';
import { generate as generateSequences } from '../generation/generate';
import type { GenerationOptions, GenerationOutput } from '../generation/generation_options';
import { poolLastNonPaddingToken } from '../last_token_pooling';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import type { LlamaConfig } from './llama_config';
import { LlamaPreTrainedModel, LlamaDecoder } from './llama_model';

/**
 * Llama with its language-model head: `lm_head` (no bias), or model.embed_tokens itself when
 * tie_word_embeddings (then the checkpoint has no lm_head.weight, as HF saves it).
 */
export class LlamaForCausalLM extends LlamaPreTrainedModel {
  static override readonly architecture: string = 'LlamaForCausalLM';
  static override readonly task: ModelTask = 'causal-lm';
  readonly baseModelPrefix = 'model';
  readonly model: LlamaDecoder;
  readonly lm_head?: Linear;

  constructor(
    readonly config: LlamaConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    this.rng = initGenerator(opts);
    this.model = this.registerModule('model', new LlamaDecoder(config, { rng: this.rng }));
    if (!config.tieWordEmbeddings) {
      this.lm_head = this.registerModule('lm_head', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.vocabSize, bias: false, initializerRange: config.initializerRange }, { rng: this.rng }));
    }
  }

  protected override checkpointAliases(): Record<string, string | null> {
    return this.config.tieWordEmbeddings ? { 'lm_head.weight': null } : {};
  }

  /** logits [batch, seq, vocab]; loss when `labels` (= input ids, -100 ignored; shifted here, as HF). */
  /** Continues the prompts: greedy, sampling or beam search with a KV cache (see generate()). */
  generate(inputIds: tf.Tensor | number[][], options: GenerationOptions = {}): GenerationOutput {
    return generateSequences(this, inputIds, options);
  }

  forward(inputs: DecoderInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.model.forward(inputs);
      const h = lastPositions(base.lastHiddenState!, inputs.logitsToKeep, inputs.labels);
      let logits: tf.Tensor;
      if (this.lm_head) logits = this.lm_head.forward(h);
      else {
        const [b, s, hidden] = h.shape as [number, number, number];
        logits = tf.reshape(matMul(tf.reshape(h, [b * s, hidden]), this.model.embed_tokens.weight, false, true), [b, s, -1]);
      }
      const out: ModelOutput = { logits, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = causalLanguageModelingLoss(logits, inputs.labels);
      return out;
    });
  }
}

/** Llama with `score` (no bias) on the last non-padding token (HF LlamaForSequenceClassification). */
export class LlamaForSequenceClassification extends LlamaPreTrainedModel {
  static override readonly architecture: string = 'LlamaForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  readonly baseModelPrefix = 'model';
  readonly model: LlamaDecoder;
  readonly score: Linear;

  constructor(
    readonly config: LlamaConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    this.rng = initGenerator(opts);
    this.model = this.registerModule('model', new LlamaDecoder(config, { rng: this.rng }));
    this.score = this.registerModule('score', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, bias: false, initializerRange: config.initializerRange }, { rng: this.rng }));
  }

  /** logits [batch, numLabels]; loss as every sequence classifier (sequenceClassificationLoss). */
  forward(inputs: DecoderInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.model.forward(inputs);
      const logits = poolLastNonPaddingToken(this.score.forward(base.lastHiddenState!), inputs.inputIds, this.config.padTokenId);
      const out: ModelOutput = { logits, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}
