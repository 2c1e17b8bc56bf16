import type { TrainerStore } from './trainer_store';
import { TrainingError } from '../training_error';

/**
 * In a browser tab: offers a stored file (a saved model's model.safetensors or config.json, a
 * checkpoint's trainer_state.json, …) as a download, named after its last path segment by default.
 */
export async function downloadFile(store: TrainerStore, path: string, fileName = path.slice(path.lastIndexOf('/') + 1)): Promise<void> {
  const bytes = await store.readFile(path);
  if (!bytes) throw new TrainingError(`downloadFile: ${path} is not in the store; save the model or a checkpoint first.`);
  if (typeof document === 'undefined') throw new TrainingError('downloadFile needs a browser page (document); in Node read the file from the store instead.');
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
