import type { LayerConfig, Module } from './module';
import { BUILTIN_LAYERS, type LayerFactory } from './builtin_layers';

/** A layer as data: its registered class name and getConfig() (JSON-serialisable). */
export interface SerializedLayer {
  className: string;
  config: LayerConfig;
}

export class UnknownLayerError extends Error {
  override name = 'UnknownLayerError';
}

const registry = new Map<string, LayerFactory>(Object.entries(BUILTIN_LAYERS));

/** Registers a layer defined outside this package; its className must be unique. */
export function registerLayer(className: string, factory: LayerFactory): void {
  if (registry.has(className)) throw new Error(`registerLayer: "${className}" is already registered.`);
  registry.set(className, factory);
}

export function registeredLayers(): string[] {
  return [...registry.keys()];
}

/** { className, config } of a layer, enough to rebuild it (weights aside). */
export function serializeLayer(layer: Module): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}

/** Rebuilds a layer (freshly initialised) from serializeLayer's output. */
export function layerFromConfig(s: SerializedLayer): Module {
  const factory = registry.get(s.className);
  if (!factory) {
    throw new UnknownLayerError(
      `No layer named "${s.className}" is registered; known: ${registeredLayers().join(', ')}. Register it with registerLayer().`,
    );
  }
  return factory(s.config);
}
