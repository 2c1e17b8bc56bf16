// Dynamic int8 Linear, the scheme of onnxruntime's quantize_dynamic (per-channel): symmetric int8 weights with one
// float scale per output channel, computed once; activations quantized at run time to uint8 with a scale and zero
// point per row; integer products summed, then scaled back and the bias added. The kernel AttnInt8Linear does it
// natively (@attn/tensor-native: VNNI/AVX2 int32 GEMM); elsewhere the same arithmetic runs as tfjs ops, the
// integer products summed in float32 (exact to float32 rounding).
import { tf } from '../tf';
import { hasFusedKernels } from './fused_dispatch';
import { INT8_LINEAR_KERNEL } from './fused_kernel_names';

export class QuantizationError extends Error {
  override name = 'QuantizationError';
}

/**
 * An int8 weight of a Linear in torch layout: `values` [outFeatures, inFeatures] row-major, each row a symmetric
 * int8 code of output channel j with real value values[j, i] · scales[j]. Backends prepare their own form of it
 * on first use (the native packed panels, the fallback's float tensors); dispose() frees those.
 */
export class QuantizedWeight {
  private readonly prepared = new Map<string, unknown>();

  constructor(
    readonly outFeatures: number,
    readonly inFeatures: number,
    readonly values: Int8Array,
    readonly scales: Float32Array,
    source = 'QuantizedWeight',
  ) {
    if (!(Number.isInteger(outFeatures) && outFeatures > 0 && Number.isInteger(inFeatures) && inFeatures >= 0)) {
      throw new QuantizationError(`${source}: shape must be positive integers [out, in], got [${outFeatures}, ${inFeatures}].`);
    }
    if (values.length !== outFeatures * inFeatures) {
      throw new QuantizationError(`${source}: ${values.length} int8 values for a [${outFeatures}, ${inFeatures}] weight (want ${outFeatures * inFeatures}).`);
    }
    if (scales.length !== outFeatures) {
      throw new QuantizationError(`${source}: ${scales.length} scales for ${outFeatures} output channels.`);
    }
    for (let j = 0; j < scales.length; j++) {
      if (!(Number.isFinite(scales[j]) && scales[j]! > 0)) {
        throw new QuantizationError(`${source}: scale of output channel ${j} is ${scales[j]}; scales must be finite and > 0.`);
      }
    }
  }

  /** The backend-specific form under `key`, made by `make` the first time. */
  prepare<T>(key: string, make: () => T): T {
    if (!this.prepared.has(key)) this.prepared.set(key, make());
    return this.prepared.get(key) as T;
  }

  /** Bytes of the int8 codes and scales (what a checkpoint stores). */
  get byteLength(): number {
    return this.values.length + this.scales.length * 4;
  }

  /** The float weight it stands for, [in, out] (tfjs Linear layout): values · scale per output channel. */
  dequantize(): tf.Tensor2D {
    const { inFeatures: k, outFeatures: n, values, scales } = this;
    const w = new Float32Array(k * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < k; i++) w[i * n + j] = values[j * k + i]! * scales[j]!;
    return tf.tensor2d(w, [k, n]);
  }

  dispose(): void {
    for (const v of this.prepared.values()) {
      if (v instanceof tf.Tensor) v.dispose();
      else if (Array.isArray(v)) for (const t of v) if (t instanceof tf.Tensor) t.dispose();
    }
    this.prepared.clear();
  }
}

/**
 * Symmetric per-output-channel int8 quantization of a Linear kernel [in, out] (ORT quantize_dynamic with
 * per_channel=True and QInt8 weights): scale_j = max_i |W[i, j]| / 127, q = round_half_even(W / scale_j) in
 * [-127, 127]. An all-zero channel gets scale 1.
 */
export function quantizePerChannel(kernel: tf.Tensor): QuantizedWeight {
  if (kernel.rank !== 2 || kernel.dtype !== 'float32') {
    throw new QuantizationError(`quantizePerChannel: expected a float32 [in, out] kernel, got ${kernel.dtype} [${kernel.shape}].`);
  }
  const [k, n] = kernel.shape as [number, number];
  const w = kernel.dataSync() as Float32Array;
  const scales = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let absMax = 0;
    for (let i = 0; i < k; i++) absMax = Math.max(absMax, Math.abs(w[i * n + j]!));
    scales[j] = absMax > 0 ? Math.fround(absMax / 127) : 1;
  }
  const values = new Int8Array(n * k);
  for (let j = 0; j < n; j++) {
    const s = scales[j]!;
    for (let i = 0; i < k; i++) values[j * k + i] = Math.max(-127, Math.min(127, roundHalfEven(w[i * n + j]! / s)));
  }
  return new QuantizedWeight(n, k, values, scales);
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

/** y = dequant(quant_u8(x) · W_int8) + bias; x is [..., in], y [..., out]. Inference only (no gradient). */
export function int8Linear(x: tf.Tensor, weight: QuantizedWeight, bias?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  if (inDim !== weight.inFeatures) {
    throw new QuantizationError(`int8Linear: input has ${inDim} features, the weight takes ${weight.inFeatures}.`);
  }
  if (x.dtype === 'float32' && hasFusedKernels(INT8_LINEAR_KERNEL)) {
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [-1, weight.inFeatures]);
      const inputs: tf.NamedTensorMap = bias ? { x: x2, bias } : { x: x2 };
      const y = tf.engine().runKernel(INT8_LINEAR_KERNEL, inputs, { weight } as unknown as tf.NamedAttrMap) as tf.Tensor;
      return tf.reshape(y, [...x.shape.slice(0, -1), weight.outFeatures]);
    });
  }
  // Kept: an enclosing tidy (a model's forward) must not free what the weight caches across calls.
  const [codes, scales] = weight.prepare(`fallback:${tf.getBackend()}`, () => [
    tf.keep(tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(weight.values), [weight.outFeatures, weight.inFeatures])))),
    tf.keep(tf.tensor1d(weight.scales)),
  ]) as [tf.Tensor2D, tf.Tensor1D];
  return tf.tidy(() => {
    const x2 = tf.reshape(tf.cast(x, 'float32'), [-1, weight.inFeatures]) as tf.Tensor2D;
    const y = int8LinearComposed(x2, codes, scales, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), weight.outFeatures]);
  });
}

/** The fallback as tfjs ops: the same scales, zero points and codes as the native kernel (round half to even). */
function int8LinearComposed(x2: tf.Tensor2D, codes: tf.Tensor2D, scales: tf.Tensor1D, bias?: tf.Tensor): tf.Tensor {
  const min = tf.minimum(tf.min(x2, -1, true), 0);
  const max = tf.maximum(tf.max(x2, -1, true), 0);
  const range = tf.div(tf.sub(max, min), 255);
  const rowScale = tf.where(tf.greater(range, 0), range, tf.onesLike(range)); // [rows, 1]
  const zero = tf.clipByValue(tf.round(tf.div(tf.neg(min), rowScale)), 0, 255);
  const q = tf.clipByValue(tf.add(tf.round(tf.div(x2, rowScale)), zero), 0, 255);
  // (q - zero) · W: the integer sums the native kernel forms in int32, here in float32.
  const acc = tf.matMul(tf.sub(q, zero), codes);
  const y = tf.mul(tf.mul(acc, rowScale), scales);
  return bias ? tf.add(y, bias) : y;
}
