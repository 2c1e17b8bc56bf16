import { tf } from '@attn/tensor';
import type { PreTrainedModel } from '@attn/models';
import { OnnxExportError } from './onnx_errors';

/** One float32 tensor in HF layout (torch: nn.Linear weights [out, in]). */
export interface WeightArray {
  dims: number[];
  data: Float32Array;
}

/**
 * A model's parameters under their HF checkpoint keys, read once out of tfjs into plain arrays: the graph
 * builders work from these and the config, as HF's modeling code does, and never touch tfjs.
 */
export class CheckpointWeights {
  private readonly byKey: Map<string, WeightArray>;

  constructor(entries: Iterable<[string, WeightArray]>, private readonly source = 'model') {
    this.byKey = new Map(entries);
  }

  /** Copies `model.hfStateDict()` out of tfjs (tied weights appear once, under the key they are stored as). */
  static fromModel(model: PreTrainedModel): CheckpointWeights {
    const state = model.hfStateDict();
    try {
      return new CheckpointWeights(
        Object.entries(state).map(([k, t]) => [k, { dims: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) }]),
        model.architecture,
      );
    } finally {
      tf.dispose(Object.values(state));
    }
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): WeightArray {
    const w = this.byKey.get(key);
    if (!w) {
      const near = [...this.byKey.keys()].filter((k) => k.split('.').slice(0, 2).join('.') === key.split('.').slice(0, 2).join('.')).slice(0, 5);
      throw new OnnxExportError(
        `${this.source}: the ONNX graph needs weight "${key}", which the model does not have` +
          `${near.length ? ` (keys nearby: ${near.join(', ')})` : ''}. Was the model's config changed after it was built?`,
      );
    }
    return w;
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }
}

/** A [rows, cols] matrix transposed: torch's [out, in] Linear weight → the [in, out] right operand of MatMul. */
export function transpose2d(w: WeightArray): WeightArray {
  const [rows, cols] = w.dims as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c]!;
  return { dims: [cols, rows], data: out };
}
