// Finds and loads the compiled addon. Loading is guarded: a missing or broken addon is a
// reason string, never an exception, so @attn/tensor keeps working on its stock kernels.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions the compiled addon exports; offsets are bytes into the wasm memory. */
export interface NativeAddon {
  /** C[b] = op(A[b])·op(B[b]) for b < batch; a/bIndex map output batches to input batches (null: 1:1 or broadcast of 1). */
  gemm(
    heap: ArrayBuffer,
    aOffset: number,
    bOffset: number,
    cOffset: number,
    batch: number,
    m: number,
    n: number,
    k: number,
    transposeA: number,
    transposeB: number,
    batchA: number,
    batchB: number,
    aIndex: Int32Array | null,
    bIndex: Int32Array | null,
  ): void;
  /** x [outer, inner]; trailing=0: sum over outer (out [inner]); trailing=1: sum over inner (out [outer]). */
  sum(heap: ArrayBuffer, xOffset: number, outOffset: number, outer: number, inner: number, trailing: number): void;
  /**
   * out = a op b over a [outer, inner]; op 0 add, 1 sub, 2 mul, 3 div, 4 b−a, 5 b/a;
   * bMode 0: b is [outer, inner], 1: b is one row [inner], 2: b is a scalar, 3: b is one value per row [outer],
   * 4: b is [bRows, inner] and row i of a uses b row (i / rep) % bRows.
   */
  binary(
    heap: ArrayBuffer,
    op: number,
    aOffset: number,
    bOffset: number,
    outOffset: number,
    outer: number,
    inner: number,
    bMode: number,
    rep?: number,
    bRows?: number,
  ): void;
  /** out = exp(x) (op 0), erf(x) (op 1, the tfjs Abramowitz–Stegun formula), relu(x) (op 2) or tanh(x) (op 3, builds with `tanh`) over n floats; in place allowed. */
  unary(heap: ArrayBuffer, op: number, xOffset: number, outOffset: number, n: number): void;
  /** out = tanh(x) over n floats (unary op 3); absent from addons built before 2026-12-07, which reject op 3. */
  tanh?(heap: ArrayBuffer, xOffset: number, outOffset: number, n: number): void;
  /** out [numSegments, inner] = Σ rows of x [rows, inner] by int32 segment id (out-of-range ids dropped). */
  segmentSum(heap: ArrayBuffer, xOffset: number, idsOffset: number, outOffset: number, rows: number, inner: number, numSegments: number): void;
  /** Softmax over the last axis of x [rows, cols]. */
  softmax(heap: ArrayBuffer, xOffset: number, outOffset: number, rows: number, cols: number): void;
  /** y = 0.5·x·(1 + erf(x/√2)) over n floats. */
  gelu(heap: ArrayBuffer, xOffset: number, yOffset: number, n: number): void;
  /** dx = dy·(Φ(x) + x·φ(x)) over n floats. */
  geluGrad(heap: ArrayBuffer, dyOffset: number, xOffset: number, dxOffset: number, n: number): void;
  /** LayerNorm of x [rows, cols] over cols; also writes mean [rows] and rstd = 1/√(var + eps) [rows]. */
  layerNorm(
    heap: ArrayBuffer,
    xOffset: number,
    gammaOffset: number,
    betaOffset: number,
    yOffset: number,
    meanOffset: number,
    rstdOffset: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  /** Gradients of layerNorm: dx [rows, cols], dgamma [cols], dbeta [cols]. */
  layerNormGrad(
    heap: ArrayBuffer,
    dyOffset: number,
    xOffset: number,
    gammaOffset: number,
    meanOffset: number,
    rstdOffset: number,
    dxOffset: number,
    dgammaOffset: number,
    dbetaOffset: number,
    rows: number,
    cols: number,
  ): void;
  /**
   * AdamW (PyTorch semantics) over many parameters in one call. `table` holds 9 numbers per
   * parameter: byte offsets of p, g, m, v, new p, new m, new v, then the size and weight decay. Every gradient is
   * multiplied by `gradScale` (float32, default 1) first: gradient clipping folded into the update.
   */
  adamw(heap: ArrayBuffer, table: Float64Array, lr: number, beta1: number, beta2: number, eps: number, step: number, gradScale?: number): void;
  /**
   * Tiled attention forward (flash_attention.c): `table` is a Float64Array of 25 numbers, the byte offsets of q, k,
   * v, mask (−1: none), out, rowMax, rowSum, dy, dq, dk, dv, then batch, heads, seqQ, seqK, headDim, the mask's 4
   * dims, causal (0/1), causalOffset, scale, dropoutRate, seed. Writes out, rowMax and rowSum.
   */
  flashAttention(heap: ArrayBuffer, table: Float64Array): void;
  /** Its backward, same table: reads q, k, v, mask, out, rowMax, rowSum and dy, writes dq, dk and dv. */
  flashAttentionGrad(heap: ArrayBuffer, table: Float64Array): void;
  /** The kernel's scaled dropout keep mask of global rows [0, rows) (row = (batch·heads + head)·seqQ + query). */
  flashDropoutMask(out: Float32Array, rows: number, seqK: number, rate: number, seed: number): void;
  /** Micro-kernel picked for this CPU ("avx512" | "avx2" | "portable") and the thread count. */
  info(): { isa: string; threads: number };
  /** Changes the number of threads the kernels use (default: all logical CPUs, or ATTN_NATIVE_THREADS). */
  setThreads(n: number): void;
  /** Packs an int8 weight [n, k] (torch layout) and its n per-channel scales for int8Linear (a plain ArrayBuffer, outside the heap). */
  int8Pack?(weights: Int8Array, scales: Float32Array, n: number, k: number): ArrayBuffer;
  /**
   * The float32 weight [k, n] at byte offset bOffset of the wasm heap, packed once for this CPU's GEMM micro-kernel
   * (ONNX Runtime's MlasGemmPackB): a constant weight then skips its per-call packing; see native/src/gemm.h.
   */
  gemmPack?(heap: ArrayBuffer, bOffset: number, k: number, n: number): ArrayBuffer;
  /** out [m, n] = x [m, k] · the weight gemmPack packed (byte offsets into the wasm heap). */
  gemmPacked?(heap: ArrayBuffer, xOffset: number, outOffset: number, m: number, packed: ArrayBuffer): void;
  /** out [m, n] = dynamic-int8 x [m, k] · packed + bias (biasOffset null: none); see native/src/qgemm.h. */
  int8Linear?(heap: ArrayBuffer, xOffset: number, outOffset: number, biasOffset: number | null, m: number, packed: ArrayBuffer): void;
  /** The int8 micro-kernel picked for this CPU: "avx512vnni" | "avx2" | "portable". */
  int8Isa?(): string;
}

export interface NativeAddonStatus {
  addon: NativeAddon | null;
  /** Path the addon was loaded from, when it loaded. */
  path?: string;
  /** One line saying why the addon is not in use, when it is not. */
  reason?: string;
}

const ADDON_FILE = 'attn_native.node';
let cached: NativeAddonStatus | undefined;

function packageRoot(): string {
  // src/*.ts under vitest and dist/*.js once built both sit one level below the package root.
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/** Where the addon may be, most specific first. */
export function nativeAddonCandidates(root = packageRoot()): string[] {
  const fromEnv = process.env.ATTN_NATIVE_PATH;
  return [
    ...(fromEnv ? [fromEnv] : []),
    join(root, 'prebuilds', `${process.platform}-${process.arch}`, ADDON_FILE),
    join(root, 'native', 'build', 'Release', ADDON_FILE),
  ];
}

function isAddon(value: unknown): value is NativeAddon {
  const v = value as Partial<NativeAddon> | null;
  return !!v && ['gemm', 'sum', 'binary', 'unary', 'softmax', 'segmentSum', 'gelu', 'geluGrad', 'layerNorm', 'layerNormGrad', 'adamw', 'info', 'setThreads'].every((f) => typeof (v as Record<string, unknown>)[f] === 'function');
}

/** Loads the first existing candidate; exported for tests, use nativeAddonStatus() instead. */
export function loadAddonFrom(candidates: string[]): NativeAddonStatus {
  if (typeof process === 'undefined' || !process.versions?.node) return { addon: null, reason: 'not running in Node' };
  if (process.env.ATTN_NATIVE === '0') return { addon: null, reason: 'disabled by ATTN_NATIVE=0' };
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    return {
      addon: null,
      reason: `no ${ADDON_FILE} for ${process.platform}-${process.arch} (looked in ${candidates.join(', ')}); run "pnpm build" in packages/tensor-native to compile it`,
    };
  }
  try {
    const require = createRequire(import.meta.url);
    const addon: unknown = require(found);
    if (!isAddon(addon)) return { addon: null, reason: `${found} does not export the expected functions (stale build?)` };
    return { addon, path: found };
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { addon: null, reason: `${found} failed to load: ${msg}` };
  }
}

/** Loads the addon once per process; the status says why it is null when it is. */
export function nativeAddonStatus(): NativeAddonStatus {
  cached ??= loadAddonFrom(nativeAddonCandidates());
  return cached;
}

/** The addon, or null when it is missing, broken, disabled (ATTN_NATIVE=0) or not in Node. */
export function loadNativeAddon(): NativeAddon | null {
  return nativeAddonStatus().addon;
}
