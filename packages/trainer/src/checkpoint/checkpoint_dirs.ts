import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';

export const CHECKPOINT_PREFIX = 'checkpoint-';

export function checkpointDirName(step: number): string {
  return `${CHECKPOINT_PREFIX}${step}`;
}

/** checkpoint-<step> directories of outputDir, oldest step first. */
export async function listCheckpoints(outputDir: string): Promise<{ step: number; dir: string }[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(outputDir);
  } catch {
    return [];
  }
  const out: { step: number; dir: string }[] = [];
  for (const name of entries) {
    const m = /^checkpoint-(\d+)$/.exec(name);
    if (m) out.push({ step: Number(m[1]), dir: join(outputDir, name) });
  }
  return out.sort((a, b) => a.step - b.step);
}

export async function latestCheckpoint(outputDir: string): Promise<string | undefined> {
  const all = await listCheckpoints(outputDir);
  return all.at(-1)?.dir;
}

/**
 * Deletes the oldest checkpoints beyond `limit`, never the best one (HF's rotation: with
 * limit 1 and a best checkpoint that is not the newest, both are kept).
 */
export async function rotateCheckpoints(outputDir: string, limit: number | undefined, bestDir?: string): Promise<string[]> {
  if (limit === undefined) return [];
  const all = await listCheckpoints(outputDir);
  const best = bestDir ? resolve(bestDir) : undefined;
  const keepBest = all.filter((c) => resolve(c.dir) === best);
  const others = all.filter((c) => resolve(c.dir) !== best);
  let room = limit - keepBest.length;
  // limit 1 with an older best: keep the newest too, or training could not resume from its last step.
  if (keepBest.length && limit === 1 && resolve(all.at(-1)!.dir) !== best) room = 1;
  const doomed = others.slice(0, Math.max(0, others.length - room));
  for (const c of doomed) await fs.rm(c.dir, { recursive: true, force: true });
  return doomed.map((c) => c.dir);
}

/**
 * Cleans up after a save that crashed: deletes staging directories (".checkpoint-N.tmp-…", never
 * complete) and restores a replaced checkpoint (".checkpoint-N.old-…") whose replacement never
 * got into place, else deletes it.
 */
export async function removeStaleStaging(outputDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(outputDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const m = /^\.(checkpoint-\d+)\.(tmp|old)-/.exec(name);
    if (!m) continue;
    const path = join(outputDir, name);
    if (m[2] === 'old') {
      const final = join(outputDir, m[1]!);
      const present = await fs.access(final).then(() => true, () => false);
      if (!present) {
        await fs.rename(path, final);
        continue;
      }
    }
    await fs.rm(path, { recursive: true, force: true });
  }
}
