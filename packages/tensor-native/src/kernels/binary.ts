// Add, Sub, Multiply and RealDiv on float32 when the broadcast is one of the shapes a
// Transformer step makes: same shape (residuals), a row over all rows (bias, LayerNorm gain),
// a scalar, or one value per row (LayerNorm's x − mean and ÷ std, [.., n] with [.., 1]).
// Anything else goes to the stock wasm kernel.
import type { tf } from '@attn/tensor';
import type { NativeAddon } from '../native_addon';
import { heapBuffer, heapOffset, heapOutput, isWasmBackend } from '../wasm_heap';

/** Smaller outputs stay on stock wasm, where one call costs less than a thread wake-up. */
export const NATIVE_BINARY_MIN_SIZE = 16384;

export const BINARY_OPS = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 } as const;
export type BinaryKernelName = keyof typeof BINARY_OPS;
const REVERSED: Record<number, number> = { 0: 0, 1: 4, 2: 2, 3: 5 };
const B_FULL = 0;
const B_ROW = 1;
const B_SCALAR = 2;
const B_COL = 3;
const B_GROUPED = 4;

export interface BroadcastLayout {
  outer: number;
  inner: number;
  mode: number;
  /** Grouped mode: row i of the big operand uses row (i / rep) % bRows of the small one. */
  rep?: number;
  bRows?: number;
}

/** [leading 1s][equal dims][1s][equal dims] — e.g. an attention mask [B,1,1,S] over scores [B,h,S,S]. */
function groupedLayout(big: number[], small: number[]): BroadcastLayout | null {
  const s = [...new Array<number>(big.length - small.length).fill(1), ...small];
  let d = big.length - 1;
  let inner = 1;
  for (; d >= 0 && s[d] === big[d]; d--) inner *= big[d]!;
  let rep = 1;
  for (; d >= 0 && s[d] === 1; d--) rep *= big[d]!;
  let bRows = 1;
  for (; d >= 0 && s[d] === big[d]; d--) bRows *= big[d]!;
  for (; d >= 0; d--) if (s[d] !== 1) return null;
  // Short rows would spend more on indexing than on the arithmetic.
  if (inner < 8) return null;
  return { outer: size(big) / inner, inner, mode: B_GROUPED, rep, bRows };
}

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** How `small` lines up with `big` ([outer, inner] + mode), or null when the broadcast is another kind. */
export function broadcastLayout(big: number[], small: number[]): BroadcastLayout | null {
  const n = size(big);
  const m = size(small);
  if (m === 1 && small.length <= big.length) return { outer: 1, inner: n, mode: B_SCALAR };
  if (small.length > big.length) return null;
  const rankDiff = big.length - small.length;
  // [..., n] with [..., 1]: every dim equal except a trailing 1.
  if (
    small.length > 0 &&
    small[small.length - 1] === 1 &&
    big[big.length - 1] !== 1 &&
    small.slice(0, -1).every((d, i) => d === big[rankDiff + i]) &&
    big.slice(0, rankDiff).every((d) => d === 1)
  ) {
    const last = big[big.length - 1]!;
    return { outer: n / last, inner: last, mode: B_COL };
  }
  const core = small.slice(small.findIndex((d) => d !== 1));
  if (!core.every((d, i) => d === big[big.length - core.length + i])) return groupedLayout(big, small);
  if (m === n) {
    const last = big[big.length - 1] ?? 1;
    return { outer: n / last, inner: last, mode: B_FULL };
  }
  return { outer: n / m, inner: m, mode: B_ROW };
}

export function nativeBinary(kernelName: BinaryKernelName) {
  return (addon: NativeAddon, stock: tf.KernelFunc): tf.KernelFunc =>
    (args) => {
      const { inputs, backend } = args;
      const a = inputs.a as tf.TensorInfo;
      const b = inputs.b as tf.TensorInfo;
      if (!isWasmBackend(backend) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
      let op: number = BINARY_OPS[kernelName];
      let big = a;
      let small = b;
      let layout = broadcastLayout(a.shape, b.shape);
      if (!layout) {
        layout = broadcastLayout(b.shape, a.shape);
        big = b;
        small = a;
        op = REVERSED[op]!;
      }
      if (!layout || layout.outer * layout.inner < NATIVE_BINARY_MIN_SIZE) return stock(args);
      const out = heapOutput(backend, [...big.shape]);
      addon.binary(
        heapBuffer(backend),
        op,
        heapOffset(backend, big),
        heapOffset(backend, small),
        heapOffset(backend, out),
        layout.outer,
        layout.inner,
        layout.mode,
        layout.rep ?? 1,
        layout.bRows ?? 1,
      );
      return out;
    };
}
