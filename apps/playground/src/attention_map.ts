// One layer's and head's attention weights for a text, and their heat map on a canvas.
import { tf } from '@attn/tensor';
import type { TaskModel } from '@attn/models';
import type { Tokenizer } from '@attn/tokenizers';

export interface AttentionMap {
  tokens: string[];
  /** Row-major [seq, seq]: row i = how token i attends to every token. */
  weights: Float32Array;
  numLayers: number;
  numHeads: number;
}

/** Runs the model with outputAttentions and keeps layer `layer`, head `head` (read back asynchronously, as webgpu needs). */
export async function attentionMap(model: TaskModel, tokenizer: Tokenizer, text: string, layer: number, head: number, maxLength = 64): Promise<AttentionMap> {
  const enc = tokenizer.encode(text, null, { addSpecialTokens: true, truncation: { maxLength, strategy: 'longest_first' } });
  const seq = enc.ids.length;
  const picked = tf.tidy(() => {
    const out = model.forward({ inputIds: tf.tensor2d(enc.ids, [1, seq], 'int32'), outputAttentions: true });
    const layerAttn = out.attentions![layer]!; // [batch, heads, seq, seq]
    return tf.slice(layerAttn, [0, head, 0, 0], [1, 1, seq, seq]);
  });
  try {
    const weights = (await picked.data()) as Float32Array;
    return { tokens: enc.tokens, weights, numLayers: model.config.numHiddenLayers, numHeads: model.config.numAttentionHeads };
  } finally {
    picked.dispose();
  }
}

/** Draws the map: query tokens down the left, key tokens along the top, darker = more attention (relative to the maximum). */
export function drawAttentionMap(canvas: HTMLCanvasElement, map: AttentionMap): void {
  const n = map.tokens.length;
  const label = 90;
  const cell = Math.max(8, Math.min(28, Math.floor(560 / Math.max(1, n))));
  canvas.width = label + n * cell + 4;
  canvas.height = label + n * cell + 4;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = `${Math.min(12, cell)}px sans-serif`;
  ctx.fillStyle = '#222';
  ctx.textBaseline = 'middle';
  map.tokens.forEach((t, i) => {
    ctx.textAlign = 'right';
    ctx.fillText(t, label - 4, label + i * cell + cell / 2);
    ctx.save();
    ctx.translate(label + i * cell + cell / 2, label - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.fillText(t, 0, 0);
    ctx.restore();
  });
  // Scaled to the map's largest weight: an untrained model's near-uniform rows still show their structure.
  const max = Math.max(1e-9, ...map.weights);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = map.weights[i * n + j]! / max;
      // sqrt spreads the small weights so structure shows beside the peaks.
      const shade = Math.round(255 * (1 - Math.sqrt(Math.max(0, Math.min(1, w)))));
      ctx.fillStyle = `rgb(${shade}, ${shade}, 255)`;
      ctx.fillRect(label + j * cell, label + i * cell, cell - 1, cell - 1);
    }
  }
}
