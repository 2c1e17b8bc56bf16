import { tf, matMul } from '@attn/tensor';
import { Linear } from '@attn/layers';
import { ConfigError } from '../pretrained_config';
import { initGenerator, type ModelInitOptions, type ModelTask } from '../pretrained_model';
import type { ModelOutput } from '../model_io';
import { lastPositions, type DecoderInputs } from '../decoder_io';
import { causalLanguageModelingLoss } from '../causal_lm_loss';
import { generate as generateSequences } from '../generation/generate';
import type { GenerationOptions, GenerationOutput } from '../generation/generation_options';
import { poolLastNonPaddingToken } from '../last_token_pooling';
import { sequenceClassificationLoss } from '../sequence_classification_loss';
import type { GPT2Config } from './gpt2_config';
import { GPT2PreTrainedModel, GPT2Transformer } from './gpt2_model';

/** GPT-2 with its language-model head `lm_head` tied to `transformer.wte` (no parameters of its own). */
export class GPT2LMHeadModel extends GPT2PreTrainedModel {
  static override readonly architecture: string = 'GPT2LMHeadModel';
  static override readonly task: ModelTask = 'causal-lm';
  readonly baseModelPrefix = 'transformer';
  readonly transformer: GPT2Transformer;

  constructor(
    readonly config: GPT2Config,
    opts: ModelInitOptions = {},
  ) {
    super();
    if (!config.tieWordEmbeddings) {
      throw new ConfigError('GPT2LMHeadModel: config.json sets tie_word_embeddings false; attn ties lm_head to transformer.wte, as the GPT-2 checkpoints do.');
    }
    this.rng = initGenerator(opts);
    this.transformer = this.registerModule('transformer', new GPT2Transformer(config, { rng: this.rng }));
  }

  protected override checkpointAliases(): Record<string, string | null> {
    return { 'lm_head.weight': null };
  }

  /** logits [batch, seq, vocab]; loss when `labels` (= input ids, -100 ignored; shifted here, as HF). */
  /** Continues the prompts: greedy, sampling or beam search with a KV cache (see generate()). */
  generate(inputIds: tf.Tensor | number[][], options: GenerationOptions = {}): GenerationOutput {
    return generateSequences(this, inputIds, options);
  }

  forward(inputs: DecoderInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.transformer.forward(inputs);
      const h = lastPositions(base.lastHiddenState!, inputs.logitsToKeep, inputs.labels);
      const [b, s, hidden] = h.shape as [number, number, number];
      const logits = tf.reshape(matMul(tf.reshape(h, [b * s, hidden]), this.transformer.wte.weight, false, true), [b, s, -1]);
      const out: ModelOutput = { logits, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = causalLanguageModelingLoss(logits, inputs.labels);
      return out;
    });
  }
}

/** GPT-2 with `score` (no bias) on the last non-padding token (HF GPT2ForSequenceClassification). */
export class GPT2ForSequenceClassification extends GPT2PreTrainedModel {
  static override readonly architecture: string = 'GPT2ForSequenceClassification';
  static override readonly task: ModelTask = 'sequence-classification';
  readonly baseModelPrefix = 'transformer';
  readonly transformer: GPT2Transformer;
  readonly score: Linear;

  constructor(
    readonly config: GPT2Config,
    opts: ModelInitOptions = {},
  ) {
    super();
    this.rng = initGenerator(opts);
    this.transformer = this.registerModule('transformer', new GPT2Transformer(config, { rng: this.rng }));
    this.score = this.registerModule('score', new Linear({ inFeatures: config.hiddenSize, outFeatures: config.numLabels, bias: false, initializerRange: config.initializerRange }, { rng: this.rng }));
  }

  /** logits [batch, numLabels]; loss as every sequence classifier (sequenceClassificationLoss). */
  forward(inputs: DecoderInputs): ModelOutput {
    return tf.tidy(() => {
      const base = this.transformer.forward(inputs);
      const logits = poolLastNonPaddingToken(this.score.forward(base.lastHiddenState!), inputs.inputIds, this.config.padTokenId);
      const out: ModelOutput = { logits, hiddenStates: base.hiddenStates };
      if (inputs.labels) out.loss = sequenceClassificationLoss(this.config, logits, inputs.labels);
      return out;
    });
  }
}
