// Quantized checkpoints: an HF-style folder whose config.json carries
//   "quantization_config": { "quant_method": "attn_dynamic_int8", "weights": "int8 symmetric per output channel",
//                            "activations": "uint8 per row, dynamic", "modules": ["bert.encoder.layer.0.attention.self.query", ...] }
// and whose model.safetensors holds, for every listed module M, "M.weight" as I8 [out, in] (torch nn.Linear layout,
// for GPT-2's Conv1D too) and "M.weight_scale" as F32 [out]; every other tensor is the usual float32 one.
import { QuantizationError, QuantizedWeight, tf } from '@attn/tensor';
import { QuantizedLinear, quantizeLinears, type Module, type QuantizeOptions } from '@attn/layers';
import type { PretrainedConfig } from './pretrained_config';

export const QUANT_METHOD = 'attn_dynamic_int8';

/** config.json's quantization_config for a model quantized by quantize(). */
export interface QuantizationConfigJSON {
  quant_method: typeof QUANT_METHOD;
  weights: string;
  activations: string;
  /** Module paths whose Linear is int8 (their weights are "<path>.weight" I8 and "<path>.weight_scale" F32). */
  modules: string[];
}

/** The QuantizedLinear modules of a model by path (empty: a float model). */
export function quantizedModules(model: Module): Array<[string, QuantizedLinear]> {
  return model.namedModules().filter((e): e is [string, QuantizedLinear] => e[1] instanceof QuantizedLinear);
}

/**
 * Dynamic int8 quantization of every Linear in the model (ORT quantize_dynamic, per channel), in place; returns the
 * model in eval mode. Embeddings, LayerNorms and biases stay float32. `exclude` keeps modules (globs) in float.
 */
export function quantize<M extends Module>(model: M, opts: Omit<QuantizeOptions, 'weights'> = {}): M {
  const done = quantizeLinears(model, opts);
  model.eval(); // after the swap: the new QuantizedLinears start in training mode, as every Module
  if (done.length === 0 && quantizedModules(model).length === 0) {
    throw new QuantizationError(`quantize: ${model.className} has no Linear layer to quantize${opts.exclude?.length ? ` outside ${opts.exclude.join(', ')}` : ''}.`);
  }
  return model;
}

/** quantization_config for config.json, or undefined for a float model. */
export function quantizationConfigJSON(model: Module): QuantizationConfigJSON | undefined {
  const mods = quantizedModules(model);
  if (mods.length === 0) return undefined;
  return {
    quant_method: QUANT_METHOD,
    weights: 'int8 symmetric per output channel (scale = max|w| / 127)',
    activations: 'uint8 per row with zero point, computed at run time',
    modules: mods.map(([p]) => p),
  };
}

/** The int8 tensors to save ("M.weight" int32 holding int8 codes, "M.weight_scale" float32) and their stored dtypes. */
export function quantizedStateDict(model: Module): { tensors: Record<string, tf.Tensor>; dtypes: Record<string, 'I8'> } {
  const tensors: Record<string, tf.Tensor> = {};
  const dtypes: Record<string, 'I8'> = {};
  for (const [path, m] of quantizedModules(model)) {
    const w = m.weight;
    tensors[`${path}.weight`] = tf.tensor2d(Int32Array.from(w.values), [w.outFeatures, w.inFeatures], 'int32');
    tensors[`${path}.weight_scale`] = tf.tensor1d(w.scales);
    dtypes[`${path}.weight`] = 'I8';
  }
  return { tensors, dtypes };
}

/** The stored dtype of each int8 weight quantizedStateDict makes. */
export function quantizedDtypes(model: Module): Record<string, 'I8'> {
  return Object.fromEntries(quantizedModules(model).map(([p]) => [`${p}.weight`, 'I8' as const]));
}

/** Whether config.json says the checkpoint is an attn int8 one. */
export function isQuantizedConfig(config: PretrainedConfig): boolean {
  const q = config.extra['quantization_config'] as { quant_method?: unknown } | undefined;
  return !!q && typeof q === 'object' && q.quant_method === QUANT_METHOD;
}

/**
 * Splits a quantized checkpoint's tensors: the int8 weights by module path, and the float tensors that
 * loadPretrainedWeights takes (a shallow copy of `weights` without the int8 ones; the caller still owns them all).
 * undefined when config.json has no attn quantization_config.
 */
export function takeQuantizedWeights(
  config: PretrainedConfig,
  weights: Record<string, tf.Tensor>,
  source: string,
): { int8: Map<string, QuantizedWeight>; floats: Record<string, tf.Tensor> } | undefined {
  if (!isQuantizedConfig(config)) return undefined;
  const cfgFile = `${source}/config.json`;
  const file = `${source}/model.safetensors`;
  const modules = (config.extra['quantization_config'] as { modules?: unknown }).modules;
  if (!Array.isArray(modules) || modules.length === 0 || !modules.every((m) => typeof m === 'string' && m.length > 0)) {
    throw new QuantizationError(`${cfgFile}: quantization_config.modules must be a non-empty array of module paths (strings).`);
  }
  const floats = { ...weights };
  const int8 = new Map<string, QuantizedWeight>();
  for (const path of modules as string[]) {
    const wKey = `${path}.weight`;
    const sKey = `${path}.weight_scale`;
    const w = weights[wKey];
    const s = weights[sKey];
    if (!w || !s) {
      throw new QuantizationError(`${file}: tensor "${!w ? wKey : sKey}" is missing; ${cfgFile} quantization_config.modules lists "${path}".`);
    }
    if (w.rank !== 2 || w.dtype !== 'int32') {
      throw new QuantizationError(`${file}: tensor "${wKey}" must be I8 [out, in], got ${w.dtype} [${w.shape}].`);
    }
    if (s.rank !== 1 || s.dtype !== 'float32') {
      throw new QuantizationError(`${file}: tensor "${sKey}" must be F32 [out], got ${s.dtype} [${s.shape}].`);
    }
    const codes = w.dataSync() as Int32Array;
    for (let i = 0; i < codes.length; i++) {
      if (codes[i]! < -128 || codes[i]! > 127) throw new QuantizationError(`${file}: tensor "${wKey}" holds ${codes[i]} at ${i}, outside int8.`);
    }
    const [out, inF] = w.shape as [number, number];
    int8.set(path, new QuantizedWeight(out, inF, Int8Array.from(codes), Float32Array.from(s.dataSync() as Float32Array), `${file}: "${wKey}" / "${sKey}"`));
    delete floats[wKey];
    delete floats[sKey];
  }
  return { int8, floats };
}

/** Puts the checkpoint's int8 weights into a freshly built model (before its float weights are loaded). */
export function applyQuantizedWeights(model: Module, int8: Map<string, QuantizedWeight>, source: string): void {
  let done: Set<string>;
  try {
    done = new Set(quantizeLinears(model, { weights: int8 }));
  } catch (e) {
    throw new QuantizationError(`${source}/model.safetensors: ${(e as Error).message}`);
  }
  const missing = [...int8.keys()].filter((p) => !done.has(p));
  if (missing.length) {
    throw new QuantizationError(
      `${source}/config.json: quantization_config.modules lists ${missing.map((m) => `"${m}"`).join(', ')}, which ${model.className} has no Linear at.`,
    );
  }
  model.eval();
}
