import { tf } from '@attn/tensor';
import { Module, Embedding, RMSNorm, ModuleList, RotaryEmbedding, checkpoint, type GradientCheckpointable } from '@attn/layers';
import { PreTrainedModel, initGenerator, type ModelInitOptions, type ModelTask } from '../pretrained_model';
import type { ModelOutput } from '../model_io';
import { decoderMaskAndPositions, type DecoderInputs } from '../decoder_io';
import { LlamaConfig } from './llama_config';
import { LlamaDecoderLayer } from './llama_decoder_layer';

/** The Llama family: config class and the `model.` checkpoint prefix. */
export abstract class LlamaPreTrainedModel extends PreTrainedModel<LlamaConfig> {
  static override readonly configClass = LlamaConfig;
  static override readonly familyPrefix: string = 'model';
}

/** HF LlamaModel's layers (embed_tokens, layers, norm; rotary_emb has no parameters), shared by every head. */
export class LlamaDecoder extends Module implements GradientCheckpointable {
  /** In training without a cache, each layer keeps only its input and is recomputed in backward. */
  gradientCheckpointing = false;
  readonly embed_tokens: Embedding;
  readonly layers: ModuleList<LlamaDecoderLayer>;
  readonly norm: RMSNorm;
  readonly rotary_emb: RotaryEmbedding;

  constructor(
    readonly config: LlamaConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = initGenerator(opts);
    this.rotary_emb = new RotaryEmbedding({ dim: config.headDim, base: config.ropeTheta });
    // padding_idx = pad_token_id, as HF: the padding row gets no gradient.
    this.embed_tokens = this.registerModule(
      'embed_tokens',
      new Embedding({ numEmbeddings: config.vocabSize, embeddingDim: config.hiddenSize, paddingIdx: config.padTokenId, initializerRange: config.initializerRange }, { rng }),
    );
    this.layers = this.registerModule('layers', new ModuleList(Array.from({ length: config.numHiddenLayers }, () => new LlamaDecoderLayer(config, this.rotary_emb, { rng }))));
    this.norm = this.registerModule('norm', new RMSNorm({ normalizedShape: config.hiddenSize, eps: config.rmsNormEps }));
  }

  /** lastHiddenState [batch, seq, hidden] (after norm); hiddenStates as HF when asked. */
  forward(inputs: DecoderInputs): ModelOutput {
    return tf.tidy(() => {
      // Rotary positions extrapolate: max_position_embeddings is the trained length, not a hard limit.
      const { additiveMask, positionIds } = decoderMaskAndPositions(inputs, Infinity);
      const rotary = this.rotary_emb.cosSinAt(positionIds);
      const ids = inputs.inputIds.dtype === 'int32' ? inputs.inputIds : tf.cast(inputs.inputIds, 'int32');
      let x = this.embed_tokens.forward(ids);
      const hiddenStates: tf.Tensor[] = [];
      let i = 0;
      for (const layer of this.layers) {
        if (inputs.outputHiddenStates) hiddenStates.push(x);
        const layerIdx = i++;
        // A KV cache is state the recomputation would append to twice (HF turns use_cache off here).
        if (this.gradientCheckpointing && layer.training && !inputs.pastKeyValues) {
          x = checkpoint(
            layer,
            (h, [mask, cos, sin]) => layer.forward(h, { additiveMask: mask, rotary: { cos: cos!, sin: sin! }, layerIdx }),
            x,
            [additiveMask, rotary.cos, rotary.sin],
          );
        } else {
          x = layer.forward(x, { additiveMask, rotary, cache: inputs.pastKeyValues, layerIdx });
        }
      }
      x = this.norm.forward(x);
      if (inputs.outputHiddenStates) hiddenStates.push(x);
      return inputs.outputHiddenStates ? { lastHiddenState: x, hiddenStates } : { lastHiddenState: x };
    });
  }
}

/** The bare Llama decoder (HF LlamaModel): keys without the `model.` prefix. */
export class LlamaModel extends LlamaPreTrainedModel {
  static override readonly architecture: string = 'LlamaModel';
  static override readonly task: ModelTask = 'base';
  readonly baseModelPrefix = '';
  readonly embed_tokens: Embedding;
  readonly layers: ModuleList<LlamaDecoderLayer>;
  readonly norm: RMSNorm;
  private readonly body: LlamaDecoder;

  constructor(
    readonly config: LlamaConfig,
    opts: ModelInitOptions = {},
  ) {
    super();
    this.rng = initGenerator(opts);
    this.body = new LlamaDecoder(config, { rng: this.rng });
    // The body's layers registered at this level, so the keys are HF LlamaModel's (embed_tokens.weight, layers.0.…).
    for (const [name, child] of this.body.namedChildren()) this.registerModule(name, child);
    ({ embed_tokens: this.embed_tokens, layers: this.layers, norm: this.norm } = this.body);
  }

  forward(inputs: DecoderInputs): ModelOutput {
    return this.body.forward(inputs);
  }

  protected override gradientCheckpointingStacks(): GradientCheckpointable[] {
    return [this.body];
  }
}
