// Crash safety: a child process trains a tiny BERT with the built packages and is SIGKILLed at
// random moments, half of them aimed inside checkpoint saves. After every kill the newest complete
// checkpoint loads (weights, optimizer, schedule, RNG) and training resumes from it; every loss
// that any process logged for update k equals the uninterrupted run's, bit for bit.
// The long version (50 kills) is `node tools/reliability/crash.mjs`.
// Model saves too: a process saving a model and its tokenizer into one directory (savePretrained + saveTokenizer)
// is SIGKILLed, half the time inside a chosen file's write; the directory always loads, each file the last complete
// generation or the next, never torn.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtPackagesPresent, crashLoop } from '../../../tools/reliability/crash_loop.mjs';
import { builtSavePackagesPresent, saveCrashLoop } from '../../../tools/reliability/save_crash_loop.mjs';

const built = builtPackagesPresent();
if (!built) console.warn('crash_safety.reliability: packages/*/dist missing; run `npx nx run-many -t build` first. Skipping.');

describe.skipIf(!built)('SIGKILL during training and checkpoint saves', () => {
  it('4 kills: the newest complete checkpoint always loads and resuming reproduces the loss curve', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'attn-crash-ci-'));
    const r = await crashLoop({ kills: 4, seed: 20261129, maxSteps: 10, workDir });
    expect(r.loadFailures).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.kills).toBe(4);
    expect(r.finalCurveComplete).toBe(true);
    rmSync(workDir, { recursive: true, force: true });
  }, 180_000);
});

const saveBuilt = builtSavePackagesPresent();
describe.skipIf(!saveBuilt)('SIGKILL during savePretrained + saveTokenizer', () => {
  it('4 kills (2 inside model.safetensors / tokenizer.json writes): the previous files stay intact and loadable', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'attn-save-crash-'));
    const r = await saveCrashLoop({ kills: 4, seed: 20261206, workDir });
    expect(r.failures).toEqual([]);
    expect(r.kills).toBe(4);
    expect(r.aimedAt).toEqual({ 'model.safetensors': 1, 'tokenizer.json': 1 });
    rmSync(workDir, { recursive: true, force: true });
  }, 180_000);
});
