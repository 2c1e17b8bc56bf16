// SIGKILLs train_child.mjs at random moments (saveSteps 1, so most of its time is spent in or near
// checkpoint saves), then after every kill: the newest complete checkpoint loads (a separate
// process reads weights, optimizer, schedule, RNG), and training resumes from it. Every loss any
// process ever logged for update k must equal the uninterrupted run's loss for k, bit for bit.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, existsSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const child = join(dirname(fileURLToPath(import.meta.url)), 'train_child.mjs');
const root = join(dirname(child), '..', '..');

/** True when the built packages the child imports exist (`nx run-many -t build`). */
export function builtPackagesPresent() {
  return ['tensor', 'layers', 'models', 'data', 'trainer'].every((p) => existsSync(join(root, 'packages', p, 'dist', 'index.js')));
}

function start(opts) {
  const proc = spawn(process.execPath, [child, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onBegin = () => {};
  const begun = new Promise((resolve) => (onBegin = resolve));
  proc.stdout.on('data', (d) => {
    out += d;
    if (out.includes('begin\n')) onBegin(performance.now());
  });
  proc.stderr.on('data', (d) => (err += d));
  const done = new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { proc, done, begun };
}

async function runToEnd(opts) {
  const r = await start(opts).done;
  if (r.code !== 0) throw new Error(`train_child ${JSON.stringify(opts)} exited ${r.code ?? r.signal}: ${r.err.slice(-2000)}`);
  return r.out;
}

function readLosses(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** A seeded uniform stream, so that a failing kill schedule can be replayed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * @param {{ kills: number, workDir: string, seed?: number, maxSteps?: number, log?: (line: string) => void }} o
 */
export async function crashLoop(o) {
  const { kills, workDir, seed = 1, maxSteps = 12, log = () => {} } = o;
  const rand = mulberry32(seed);
  mkdirSync(workDir, { recursive: true });

  // The uninterrupted run: its losses and its wall time (to spread the kills over a run).
  const refDir = join(workDir, 'reference');
  const ref = start({ outDir: refDir, lossLog: `${refDir}.jsonl`, maxSteps });
  const refEnd = await ref.done;
  if (refEnd.code !== 0) throw new Error(`reference run exited ${refEnd.code ?? refEnd.signal}: ${refEnd.err.slice(-2000)}`);
  // Time from onTrainBegin (after loading/resuming) to exit: the window the kills fall in.
  let refWall = performance.now() - (await ref.begun);
  const reference = new Map(readLosses(`${refDir}.jsonl`).map((e) => [e.step, e.loss]));
  if (reference.size !== maxSteps) throw new Error(`reference run logged ${reference.size} updates, expected ${maxSteps}`);

  const outDir = join(workDir, 'run');
  const lossLog = join(workDir, 'run.jsonl');
  const result = { kills: 0, killedDuringSave: 0, completedRuns: 0, resumedFrom: [], mismatches: [], loadFailures: [], refWallMs: refWall };
  let resume = false;
  let attempts = 0;
  while (result.kills < kills) {
    if (++attempts > kills * 4 + 10) throw new Error(`only ${result.kills} of ${kills} kills landed in ${attempts - 1} runs; the child finishes too fast to be killed`);
    const p = start({ outDir, lossLog, maxSteps, resume });
    // Every other kill is aimed at a save: after a random point in the loop, the next staging
    // directory that appears (inotify) triggers the kill 0-8 ms later, i.e. while the files are
    // being written, flushed and renamed. The others fall uniformly over the loop.
    const delay = rand() * refWall;
    const aimed = result.kills % 2 === 0;
    const jitter = rand() * 8;
    mkdirSync(outDir, { recursive: true });
    let timer;
    let watcher;
    const kill = () => p.proc.kill('SIGKILL');
    void p.begun.then(() => {
      timer = setTimeout(() => {
        if (!aimed) return kill();
        try {
          watcher = watch(outDir, (_event, name) => {
            if (name && /^\.checkpoint-\d+\.tmp-/.test(String(name))) {
              watcher?.close();
              setTimeout(kill, jitter);
            }
          });
        } catch {
          kill(); // no inotify (e.g. watch limit reached): fall back to an unaimed kill
        }
      }, delay);
    });
    const r = await p.done;
    clearTimeout(timer);
    watcher?.close();
    if (r.signal !== 'SIGKILL') {
      if (r.code !== 0) throw new Error(`train_child exited ${r.code} (resume ${resume}): ${r.err.slice(-2000)}`);
      // Finished before the kill: check it, then start over from scratch. The reference's
      // duration may have been inflated by a busy machine: aim later kills within this run's.
      result.completedRuns += 1;
      if (!resume) refWall = Math.min(refWall, performance.now() - (await p.begun));
      checkLosses(readLosses(lossLog), reference, result);
      rmSync(outDir, { recursive: true, force: true });
      rmSync(lossLog, { force: true });
      resume = false;
      continue;
    }
    result.kills += 1;
    // A hidden staging directory or temporary file left behind: the kill landed inside a save.
    const entries = existsSync(outDir) ? readdirSync(outDir, { recursive: true }).map(String) : [];
    const midSave = entries.some((e) => /(^|\/)\.checkpoint-\d+\.(tmp|old)-|\.tmp-/.test(e));
    if (midSave) result.killedDuringSave += 1;
    let verified;
    try {
      verified = JSON.parse((await runToEnd({ outDir, maxSteps, verify: true })).trim().split('\n').at(-1));
    } catch (e) {
      result.loadFailures.push(String(e.message ?? e).slice(0, 500));
      verified = { checkpoint: null };
    }
    log(`kill ${result.kills}: ${aimed ? `at the first save after ${delay.toFixed(0)} ms (+${jitter.toFixed(1)} ms)` : `after ${delay.toFixed(0)} ms`}${midSave ? ', inside a save' : ''}; newest complete checkpoint: ${verified.checkpoint ?? 'none'}`);
    if (verified.checkpoint !== null) result.resumedFrom.push(verified.checkpoint);
    resume = verified.checkpoint !== null;
    checkLosses(readLosses(lossLog), reference, result);
  }
  // Finish the last interrupted run and check the whole curve.
  await runToEnd({ outDir, lossLog, maxSteps, resume });
  const final = readLosses(lossLog);
  checkLosses(final, reference, result);
  const lastByStep = new Map(final.map((e) => [e.step, e.loss]));
  result.finalCurveComplete = [...reference.keys()].every((k) => lastByStep.has(k));
  return result;
}

function checkLosses(entries, reference, result) {
  for (const e of entries) {
    if (reference.get(e.step) !== e.loss && !result.mismatches.some((m) => m.step === e.step && m.loss === e.loss)) {
      result.mismatches.push({ step: e.step, loss: e.loss, expected: reference.get(e.step) });
    }
  }
}
