import type { OnnxExporter } from './onnx_exporter';
import { OnnxExportError } from './onnx_errors';
import { BUILTIN_EXPORTERS } from './builtin_exporters';

const exporters = new Map<string, OnnxExporter>();
let builtinsRegistered = false;

function ensureBuiltins(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  for (const e of BUILTIN_EXPORTERS) registerOnnxExporter(e);
}

/** Makes a family exportable by exportOnnx; a family registered with @attn/models' registerFamily adds its graph here. */
export function registerOnnxExporter(exporter: OnnxExporter): void {
  ensureBuiltins();
  if (exporters.has(exporter.modelType)) {
    throw new OnnxExportError(`An ONNX exporter for model_type "${exporter.modelType}" is already registered.`);
  }
  exporters.set(exporter.modelType, exporter);
}

/** The exporter of a model_type, or an error listing the exportable ones. */
export function onnxExporterFor(modelType: string): OnnxExporter {
  ensureBuiltins();
  const e = exporters.get(modelType);
  if (!e) {
    throw new OnnxExportError(
      `No ONNX exporter for model_type "${modelType}"; exportable: ${[...exporters.keys()].join(', ')}. ` +
        'A family adds one with registerOnnxExporter().',
    );
  }
  return e;
}

/** Every registered exporter, builtins first. */
export function registeredOnnxExporters(): OnnxExporter[] {
  ensureBuiltins();
  return [...exporters.values()];
}
