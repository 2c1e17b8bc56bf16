import { tf } from '@attn/tensor';
import { Module, Embedding, Dropout, LayerNorm, ModuleList, checkpoint, type GradientCheckpointable } from '@attn/layers';
import { PreTrainedModel, initGenerator, type ModelInitOptions, type ModelTask } from '../pretrained_model';
import type { ModelOutput } from '../model_io';
import { decoderMaskAndPositions, type DecoderInputs } from '../decoder_io';
import { GPT2Config } from './gpt2_config';
import { GPT2Block } from './gpt2_block';

/** The GPT-2 family: config class and the `transformer.` checkpoint prefix. */
export abstract class GPT2PreTrainedModel extends PreTrainedModel<GPT2Config> {
  static override readonly configClass = GPT2Config;
  static override readonly familyPrefix: string = 'transformer';
}

/** HF GPT2Model's layers (wte, wpe, drop, h, ln_f), shared by the bare model and the heads. */
export class GPT2Transformer extends Module implements GradientCheckpointable {
  /** In training without a cache, each block keeps only its input and is recomputed in backward. */
  gradientCheckpointing = false;
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly drop: Dropout;
  readonly h: ModuleList<GPT2Block>;
  readonly ln_f: LayerNorm;

  constructor(
    readonly config: GPT2Config,
    opts: ModelInitOptions = {},
  ) {
    super();
    const rng = initGenerator(opts);
    const init = { initializerRange: config.initializerRange };
    this.wte = this.registerModule('wte', new Embedding({ numEmbeddings: config.vocabSize, embeddingDim: config.hiddenSize, ...init }, { rng }));
    this.wpe = this.registerModule('wpe', new Embedding({ numEmbeddings: config.maxPositionEmbeddings, embeddingDim: config.hiddenSize, ...init }, { rng }));
    this.drop = this.registerModule('drop', new Dropout({ rate: config.embdPdrop }, { rng }));
    this.h = this.registerModule('h', new ModuleList(Array.from({ length: config.numHiddenLayers }, (_, i) => new GPT2Block(config, i, { rng }))));
    this.ln_f = this.registerModule('ln_f', new LayerNorm({ normalizedShape: config.hiddenSize, eps: config.layerNormEpsilon }));
  }

  /** lastHiddenState [batch, seq, hidden] (after ln_f); hiddenStates as HF when asked. */
  forward(inputs: DecoderInputs): ModelOutput {
    return tf.tidy(() => {
      const { additiveMask, positionIds } = decoderMaskAndPositions(inputs, this.config.maxPositionEmbeddings);
      const ids = inputs.inputIds.dtype === 'int32' ? inputs.inputIds : tf.cast(inputs.inputIds, 'int32');
      let x = this.drop.forward(tf.add(this.wte.forward(ids), this.wpe.forward(positionIds)));
      const hiddenStates: tf.Tensor[] = [];
      let i = 0;
      for (const block of this.h) {
        if (inputs.outputHiddenStates) hiddenStates.push(x);
        const layerIdx = i++;
        // A KV cache is state the recomputation would append to twice (HF turns use_cache off here).
        if (this.gradientCheckpointing && block.training && !inputs.pastKeyValues) {
          x = checkpoint(block, (h, [mask]) => block.forward(h, { additiveMask: mask, layerIdx }), x, [additiveMask]);
        } else {
          x = block.forward(x, { additiveMask, cache: inputs.pastKeyValues, layerIdx });
        }
      }
      x = this.ln_f.forward(x);
      if (inputs.outputHiddenStates) hiddenStates.push(x);
      return inputs.outputHiddenStates ? { lastHiddenState: x, hiddenStates } : { lastHiddenState: x };
    });
  }
}

/** The bare GPT-2 decoder (HF GPT2Model): keys without the `transformer.` prefix. */
export class GPT2Model extends GPT2PreTrainedModel {
  static override readonly architecture: string = 'GPT2Model';
  static override readonly task: ModelTask = 'base';
  readonly baseModelPrefix = '';
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly drop: Dropout;
  readonly h: ModuleList<GPT2Block>;
  readonly ln_f: LayerNorm;
  private readonly body: GPT2Transformer;

  constructor(
    readonly config: GPT2Config,
    opts: ModelInitOptions = {},
  ) {
    super();
    this.rng = initGenerator(opts);
    this.body = new GPT2Transformer(config, { rng: this.rng });
    // The body's layers registered at this level, so the keys are HF GPT2Model's (wte.weight, h.0.…).
    for (const [name, child] of this.body.namedChildren()) this.registerModule(name, child);
    ({ wte: this.wte, wpe: this.wpe, drop: this.drop, h: this.h, ln_f: this.ln_f } = this.body);
  }

  forward(inputs: DecoderInputs): ModelOutput {
    return this.body.forward(inputs);
  }

  protected override gradientCheckpointingStacks(): GradientCheckpointable[] {
    return [this.body];
  }
}
