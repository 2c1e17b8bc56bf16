// Long crash-safety run: node tools/reliability/crash.mjs [kills=50] [seed=1]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtPackagesPresent, crashLoop } from './crash_loop.mjs';

if (!builtPackagesPresent()) {
  console.error('packages/*/dist is missing: run `npx nx run-many -t build` first.');
  process.exit(2);
}
const kills = Number(process.argv[2] ?? 50);
const seed = Number(process.argv[3] ?? 1);
const t0 = performance.now();
const r = await crashLoop({ kills, seed, workDir: mkdtempSync(join(tmpdir(), 'attn-crash-')), log: (l) => console.log(l) });
console.log(JSON.stringify({ ...r, wallS: +((performance.now() - t0) / 1000).toFixed(1) }, null, 2));
const ok = r.mismatches.length === 0 && r.loadFailures.length === 0 && r.finalCurveComplete;
console.log(ok ? `PASS: ${r.kills} kills (${r.killedDuringSave} inside a save), every checkpoint loaded, every loss equal to the uninterrupted run's` : 'FAIL');
process.exit(ok ? 0 : 1);
