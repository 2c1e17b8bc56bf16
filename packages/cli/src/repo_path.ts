import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A path in the attn checkout an app runs from (its models/ and fixtures/): the nearest folder above
 * `moduleUrl` (the caller's import.meta.url, in src/ under test or dist/ when built) that holds
 * pnpm-workspace.yaml; outside a checkout, three levels up, so the path names a missing file and
 * callers fall back (see defaultModel).
 */
export function repoPath(moduleUrl: string, ...segments: string[]): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; ) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return join(dir, ...segments);
    const up = dirname(dir);
    if (up === dir) return resolve(start, '..', '..', '..', ...segments);
    dir = up;
  }
}
