import type { TrainableModel } from './trainable_model';
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

const BACKBONE_PREFIXES = ['bert.', 'roberta.', 'distilbert.', 'embeddings.', 'encoder.', 'pooler.'];

function isBackbone(name: string): boolean {
  return BACKBONE_PREFIXES.some((p) => name.startsWith(p));
}

function isEmbedding(name: string): boolean {
  return /(^|\.)embeddings\./.test(name);
}

function layerIndex(name: string): number | undefined {
  const m = /(^|\.)encoder\.layer\.(\d+)\./.exec(name);
  return m ? Number(m[2]) : undefined;
}

/**
 * Sets `variable.trainable` per the strategy (every parameter is first made trainable) and
 * returns the names left trainable. Call before creating the Trainer: its optimizer covers the
 * parameters trainable at the first train() call.
 */
export function freezeStrategy(model: TrainableModel, strategy: FreezeStrategy): string[] {
  const params = model.namedParameters();
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
