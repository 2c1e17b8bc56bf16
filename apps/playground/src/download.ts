// Saving the fine-tuned model as the three files of an HF model folder.
import { toPretrainedBytesAsync, type TaskModel } from '@attn/models';

/**
 * config.json, model.safetensors and tokenizer.json, ready to hand to the browser as downloads. config.json's
 * `architectures` is the class's static name (the bundle's minified class names never reach it), so
 * `loadModel(dir)` picks the head without being told.
 */
export async function hfModelFiles(model: TaskModel, tokenizerJson: string): Promise<Array<{ name: string; blob: Blob }>> {
  const { config, safetensors } = await toPretrainedBytesAsync(model);
  return [
    { name: 'config.json', blob: new Blob([config], { type: 'application/json' }) },
    { name: 'model.safetensors', blob: new Blob([safetensors as BlobPart], { type: 'application/octet-stream' }) },
    { name: 'tokenizer.json', blob: new Blob([tokenizerJson], { type: 'application/json' }) },
  ];
}

/** Starts one download per file (the browser may ask once to allow several). */
export function downloadFiles(files: ReadonlyArray<{ name: string; blob: Blob }>): void {
  for (const f of files) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(f.blob);
    a.download = f.name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}
