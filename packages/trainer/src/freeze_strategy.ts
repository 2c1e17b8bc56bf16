import type { ParameterLayout, ParameterModel } from './trainable_model';
import { TrainingArgumentsError } from './training_error';

/**
 * Which parameters to train:
 * - 'none': everything trains;
 * - 'embeddings': freeze the embeddings (word, position, token type, their LayerNorm);
 * - { bottomLayers: N }: freeze the embeddings and encoder layers 0..N-1;
 * - 'all-but-head': train only the task head (everything outside the backbone);
 * - 'lora-only': train only LoRA adapter parameters (names containing "lora_"), plus the head
 *   when `trainHead` is set.
 */
export type FreezeStrategy = 'none' | 'embeddings' | 'all-but-head' | 'lora-only' | { bottomLayers: number } | { loraOnly: true; trainHead?: boolean };

/**
 * For a model without parameterLayout() (a user's own Module): BERT-style names, `<body>.embeddings.*`,
 * `<body>.encoder.layer.N.*`, with a body prefix that is everything up to the first `embeddings.` /
 * `encoder.` key.
 */
function fallbackLayout(names: readonly string[]): ParameterLayout {
  const bodies = new Set(names.map((n) => /^(?:(.*?)\.)?(?:embeddings|encoder)\./.exec(n)?.[1]).filter((p) => p !== undefined));
  return {
    isEmbedding: (n) => /(^|\.)embeddings\./.test(n),
    layerIndex: (n) => {
      const m = /(^|\.)encoder\.layer\.(\d+)\./.exec(n);
      return m ? Number(m[2]) : undefined;
    },
    isBackbone: (n) => /^(embeddings|encoder|pooler)\./.test(n) || [...bodies].some((p) => n.startsWith(`${p}.`)),
  };
}

/**
 * Sets `variable.trainable` per the strategy (every parameter is first made trainable) and
 * returns the names left trainable. Call before creating the Trainer: its optimizer covers the
 * parameters trainable at the first train() call.
 */
export function freezeStrategy(model: ParameterModel, strategy: FreezeStrategy): string[] {
  const params = model.namedParameters();
  // The family says which names are embeddings, blocks and body (DistilBERT's transformer.layer.N, GPT-2's h.N, ...).
  const layout = model.parameterLayout?.() ?? fallbackLayout(params.map(([n]) => n));
  const isEmbedding = (n: string) => layout.isEmbedding(n);
  const isBackbone = (n: string) => layout.isBackbone(n);
  const layerIndex = (n: string) => layout.layerIndex(n);
  let frozen: (name: string) => boolean;
  if (strategy === 'none') frozen = () => false;
  else if (strategy === 'embeddings') frozen = isEmbedding;
  else if (strategy === 'all-but-head') frozen = isBackbone;
  else if (strategy === 'lora-only') frozen = (n) => !n.includes('lora_');
  else if (typeof strategy === 'object' && 'bottomLayers' in strategy) {
    const n = strategy.bottomLayers;
    if (!Number.isInteger(n) || n < 0) throw new TrainingArgumentsError(`freezeStrategy: bottomLayers must be an integer >= 0; got ${n}.`);
    frozen = (name) => isEmbedding(name) || (layerIndex(name) ?? Infinity) < n;
  } else if (typeof strategy === 'object' && 'loraOnly' in strategy) {
    const head = strategy.trainHead ?? false;
    frozen = (name) => !(name.includes('lora_') || (head && !isBackbone(name)));
  } else {
    throw new TrainingArgumentsError(`freezeStrategy: unknown strategy ${JSON.stringify(strategy)}; use 'none', 'embeddings', 'all-but-head', 'lora-only' or { bottomLayers: N }.`);
  }
  const trainable = params.filter(([n]) => !frozen(n)).map(([n]) => n);
  if (trainable.length === 0) {
    throw new TrainingArgumentsError(
      `freezeStrategy(${JSON.stringify(strategy)}) left no parameter trainable (names look like ${params.slice(0, 2).map(([n]) => n).join(', ')}); pick a strategy that keeps some.`,
    );
  }
  for (const [name, v] of params) v.trainable = !frozen(name);
  return trainable;
}
