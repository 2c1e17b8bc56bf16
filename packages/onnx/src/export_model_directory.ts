import { loadModel, type ModelTask } from '@attn/models';
import { writeFileDurable } from '@attn/tensor';
import { saveOnnx, type ExportOnnxOptions, type OnnxExport } from './export_onnx';

/** The files that go beside the .onnx file so onnxruntime users and transformers.js have the tokenizer and labels. */
export const COMPANION_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'vocab.json', 'merges.txt'] as const;

export interface ModelDirectoryExport extends OnnxExport {
  /** Where the .onnx file went. */
  path: string;
  /** Companion files copied next to it (names), e.g. config.json, tokenizer.json. */
  copied: string[];
}

/**
 * Loads an HF model directory (any registered family; `task` picks the head of a bare base checkpoint), writes
 * it as ONNX to `outFile`, and copies its config and tokenizer files beside it, every file written durably
 * (@attn/tensor's writeFileDurable). The tfjs backend must be ready.
 */
export async function exportModelDirectory(modelDir: string, outFile: string, opts: ExportOnnxOptions & { task?: ModelTask } = {}): Promise<ModelDirectoryExport> {
  const { mkdir, readFile, access } = await import('node:fs/promises');
  const { dirname, join, resolve } = await import('node:path');
  const outDir = dirname(outFile);
  await mkdir(outDir, { recursive: true });
  const model = await loadModel(modelDir, { quiet: true, task: opts.task });
  let result: OnnxExport;
  try {
    result = await saveOnnx(model, outFile, opts);
  } finally {
    model.dispose();
  }
  const copied: string[] = [];
  if (resolve(outDir) !== resolve(modelDir)) {
    for (const name of COMPANION_FILES) {
      const from = join(modelDir, name);
      try {
        await access(from);
      } catch {
        continue;
      }
      await writeFileDurable(join(outDir, name), await readFile(from));
      copied.push(name);
    }
  }
  return { ...result, path: outFile, copied };
}
