import type { TrainerStore } from '../storage/trainer_store';
import { FileSystemStore } from '../storage/file_system_store';
import { joinPath, normalizePath } from '../storage/store_paths';

export const CHECKPOINT_PREFIX = 'checkpoint-';

export function checkpointDirName(step: number): string {
  return `${CHECKPOINT_PREFIX}${step}`;
}

/** checkpoint-<step> directories of outputDir, oldest step first. */
export async function listCheckpoints(outputDir: string, store: TrainerStore = new FileSystemStore()): Promise<{ step: number; dir: string }[]> {
  const out: { step: number; dir: string }[] = [];
  for (const name of await store.list(outputDir)) {
    const m = /^checkpoint-(\d+)$/.exec(name);
    if (m) out.push({ step: Number(m[1]), dir: joinPath(outputDir, name) });
  }
  return out.sort((a, b) => a.step - b.step);
}

export async function latestCheckpoint(outputDir: string, store: TrainerStore = new FileSystemStore()): Promise<string | undefined> {
  const all = await listCheckpoints(outputDir, store);
  return all.at(-1)?.dir;
}

/**
 * Deletes the oldest checkpoints beyond `limit`, never the best one (HF's rotation: with
 * limit 1 and a best checkpoint that is not the newest, both are kept).
 */
export async function rotateCheckpoints(outputDir: string, limit: number | undefined, bestDir?: string, store: TrainerStore = new FileSystemStore()): Promise<string[]> {
  if (limit === undefined) return [];
  const all = await listCheckpoints(outputDir, store);
  const best = bestDir ? normalizePath(bestDir) : undefined;
  const keepBest = all.filter((c) => normalizePath(c.dir) === best);
  const others = all.filter((c) => normalizePath(c.dir) !== best);
  let room = limit - keepBest.length;
  // limit 1 with an older best: keep the newest too, or training could not resume from its last step.
  if (keepBest.length && limit === 1 && normalizePath(all.at(-1)!.dir) !== best) room = 1;
  const doomed = others.slice(0, Math.max(0, others.length - room));
  for (const c of doomed) await store.remove(c.dir);
  return doomed.map((c) => c.dir);
}

/**
 * Cleans up after a save that crashed: deletes staging directories (".checkpoint-N.tmp-…", never
 * complete) and restores a replaced checkpoint (".checkpoint-N.old-…") whose replacement never
 * got into place, else deletes it.
 */
export async function removeStaleStaging(outputDir: string, store: TrainerStore = new FileSystemStore()): Promise<void> {
  for (const name of await store.list(outputDir)) {
    const m = /^\.(checkpoint-\d+)\.(tmp|old)-/.exec(name);
    if (!m) continue;
    const path = joinPath(outputDir, name);
    if (m[2] === 'old') {
      const final = joinPath(outputDir, m[1]!);
      if (!(await store.exists(final))) {
        await store.rename(path, final);
        continue;
      }
    }
    await store.remove(path);
  }
}
