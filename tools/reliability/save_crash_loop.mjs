// SIGKILLs save_child.mjs while it saves a model and its tokenizer into one directory (savePretrained +
// saveTokenizer), half of the kills aimed at the moment a temporary file of a chosen target appears (inside that
// file's write, flush or rename). After every kill a separate process loads the directory: the model and the
// tokenizer must load, and each file must be the last complete generation or the one being written, never torn.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mulberry32 } from './crash_loop.mjs';

const child = join(dirname(fileURLToPath(import.meta.url)), 'save_child.mjs');
const root = join(dirname(child), '..', '..');
const TARGETS = ['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** True when the built packages the child imports exist (`nx run-many -t build`). */
export function builtSavePackagesPresent() {
  return ['tensor', 'layers', 'models', 'tokenizers', 'pipelines'].every((p) => existsSync(join(root, 'packages', p, 'dist', 'index.js')));
}

function run(opts, onLine = () => {}) {
  const proc = spawn(process.execPath, [child, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => {
    out += d;
    const lines = out.split('\n');
    out = lines.pop();
    lines.forEach(onLine);
  });
  proc.stderr.on('data', (d) => (err += d));
  const done = new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { proc, done };
}

let packages;
/** Loads the directory as a user would, in this process, with the built packages. */
async function verify(dir) {
  const load = (name) => import(pathToFileURL(join(root, 'packages', name, 'dist', 'index.js')).href);
  packages ??= Promise.all([load('tensor'), load('models'), load('pipelines')]).then(async (p) => (await p[0].initBackend({ backend: 'wasm' }), p));
  const [, { loadModel }, { loadTokenizer }] = await packages;
  try {
    const model = await loadModel(dir);
    const bias = [...model.namedParameters().find(([n]) => n === 'classifier.bias')[1].dataSync()];
    model.dispose();
    const tok = await loadTokenizer(dir);
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    return { model: bias[0], modelConsistent: bias[1] === -bias[0], tokenizer: cfg.model_max_length - 1000, ids: tok.encode('Crash-safe saves keep the previous files whole.').ids };
  } catch (e) {
    return { error: e.message };
  }
}

/**
 * @param {{ kills: number, workDir: string, seed?: number, log?: (line: string) => void }} o
 * @returns {Promise<{ kills: number, killedMidWrite: number, aimedAt: Record<string, number>, failures: string[] }>}
 */
export async function saveCrashLoop(o) {
  const { kills, workDir, seed = 1, log = () => {} } = o;
  const rand = mulberry32(seed);
  const dir = join(workDir, 'model');
  mkdirSync(dir, { recursive: true });
  // Generation 0, complete: the "previous files" every later kill must leave loadable.
  const first = await run({ dir, from: 0, generations: 1 }).done;
  if (first.code !== 0) throw new Error(`save_child exited ${first.code ?? first.signal}: ${first.err.slice(-2000)}`);
  const reference = await verify(dir);
  if (reference.error || reference.model !== 0 || reference.tokenizer !== 0) throw new Error(`generation 0 did not load: ${JSON.stringify(reference)}`);

  const result = { kills: 0, killedMidWrite: 0, aimedAt: {}, failures: [] };
  let completed = 0;
  let attempts = 0;
  let aimedKills = 0;
  while (result.kills < kills) {
    if (++attempts > kills * 4 + 10) throw new Error(`only ${result.kills} of ${kills} kills landed in ${attempts - 1} runs`);
    const aimed = result.kills % 2 === 0;
    // Aimed kills take the targets in turn (a model file, then a tokenizer file, ...), at its 1st or 2nd write.
    const target = TARGETS[(aimedKills * 2 + (aimedKills >> 1)) % TARGETS.length];
    let writesLeft = 1 + Math.floor(rand() * 2);
    const jitter = rand() * 3;
    const before = new Set(readdirSync(dir));
    const seen = new Set(before);
    let timer;
    const p = run({ dir, from: completed + 1 }, (line) => {
      // Unaimed kills fall uniformly over about two generations' saves, from when saving starts; an aimed kill
      // whose file never shows a temporary name (a writer that is not durable) falls back to one after 10 s.
      if (line === 'begin') timer = setTimeout(kill, aimed ? 10_000 : rand() * 2500);
      const m = /^saved (\d+)$/.exec(line);
      if (m) completed = Math.max(completed, Number(m[1]));
    });
    const kill = () => p.proc.kill('SIGKILL');
    let watcher;
    if (aimed) {
      const prefix = `.${target}.tmp-`;
      watcher = watch(dir, (_e, name) => {
        if (name && String(name).startsWith(prefix) && !seen.has(String(name)) && --writesLeft === 0) {
          watcher.close();
          setTimeout(kill, jitter);
        }
        if (name) seen.add(String(name));
      });
    }
    const r = await p.done;
    watcher?.close();
    clearTimeout(timer);
    if (r.signal !== 'SIGKILL') {
      if (r.code !== 0) throw new Error(`save_child exited ${r.code}: ${r.err.slice(-2000)}`);
      continue;
    }
    result.kills += 1;
    if (aimed) result.aimedAt[target] = (result.aimedAt[target] ?? 0) + 1;
    if (aimed) aimedKills += 1;
    // A kill inside a write leaves its hidden temporary file behind (loaders never read it).
    const leftovers = readdirSync(dir).filter((n) => n.includes('.tmp-') && !before.has(n));
    if (leftovers.length) result.killedMidWrite += 1;
    const v = await verify(dir);
    const ok = (g) => g === completed || g === completed + 1;
    const line = `kill ${result.kills} (${aimed ? `aimed at ${target}` : 'unaimed'}, last complete generation ${completed}, left ${leftovers.join(', ') || 'no temporary file'}): ${JSON.stringify(v.error ?? { model: v.model, tokenizer: v.tokenizer })}`;
    log(line);
    if (v.error) result.failures.push(line);
    else if (!ok(v.model) || !v.modelConsistent || !ok(v.tokenizer) || JSON.stringify(v.ids) !== JSON.stringify(reference.ids)) result.failures.push(line);
  }
  return result;
}
