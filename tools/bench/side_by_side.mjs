// The parent half of tools/bench/train.mjs and infer.mjs: flags, finding a Python with PyTorch,
// running each side in its own child process (so each peak RSS is its own), and the ratio table.
// A child prints one line `BENCH_RESULT {json}`; everything else it prints is passed through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { WORKLOADS, sequencesPerSecond } from './workloads.mjs';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** The CPU every figure of a table is measured on: lscpu's model name and vendor (Intel and AMD machines differ). */
export function cpuDescription() {
  const lscpu = spawnSync('lscpu', { encoding: 'utf8' }).stdout ?? '';
  const field = (name) => lscpu.match(new RegExp(`^${name}:\\s*(.+)$`, 'm'))?.[1]?.trim();
  const model = field('Model name') ?? cpus()[0]?.model ?? 'unknown CPU';
  const vendor = field('Vendor ID');
  return `${model}${vendor ? ` (${vendor})` : ''}, ${cpus().length} logical CPUs`;
}
export const MODELS = ['tiny', 'mini', 'small', 'base'];

export class BenchArgsError extends Error {
  name = 'BenchArgsError';
}

/**
 * Flags shared by train and infer:
 *   --models tiny,mini,base  --workload fixed,sst2,sst2-grouped  --steps N  --warmup N  --threads N
 *   --quick (tiny, 3 steps)  --json FILE  --no-torch  --no-ort (infer)  --python PATH
 */
export function parseBenchArgs(argv, defaults) {
  const value = (name) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new BenchArgsError(`${name} needs a value.`);
    return v;
  };
  const int = (name, dflt) => {
    const v = value(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new BenchArgsError(`${name} must be a non-negative integer; got ${JSON.stringify(v)}.`);
    return n;
  };
  const list = (name, dflt, known) => {
    const v = value(name);
    const items = v === undefined ? dflt : v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const x of items) if (!known.includes(x)) throw new BenchArgsError(`${name}: unknown "${x}"; known: ${known.join(', ')}.`);
    return items;
  };
  const quick = argv.includes('--quick');
  const opts = {
    quick,
    models: list('--models', quick ? ['tiny'] : defaults.models, MODELS),
    workloads: list('--workload', WORKLOADS, WORKLOADS),
    steps: int('--steps', quick ? 3 : defaults.steps),
    warmup: int('--warmup', 1),
    threads: int('--threads', 2),
    json: value('--json'),
    python: value('--python'),
    torch: !argv.includes('--no-torch'),
    ort: !argv.includes('--no-ort'),
    repeats: int('--repeats', 1),
  };
  if (opts.steps < 1) throw new BenchArgsError('--steps must be at least 1.');
  if (opts.threads < 1) throw new BenchArgsError('--threads must be at least 1.');
  if (opts.repeats < 1) throw new BenchArgsError('--repeats must be at least 1.');
  return opts;
}

/** Value of `--name` in a child's argv. */
export function childArg(argv, name) {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
}

/**
 * A Python that imports torch and transformers: --python (alone), else $ATTN_BENCH_PYTHON, /tmp/hfvenv/bin/python,
 * /usr/bin/python3 (Debian's python3-torch: fast only with OPENBLAS_CORETYPE=SkylakeX, and Debian has
 * no transformers, so it qualifies only where transformers was added). Returns { python, env,
 * versions } or { reason }.
 */
export function findPython(explicit) {
  // An explicit --python is the only candidate: falling back would measure another PyTorch than asked.
  const candidates = explicit ? [explicit] : [process.env.ATTN_BENCH_PYTHON, '/tmp/hfvenv/bin/python', '/usr/bin/python3'].filter(Boolean);
  const tried = [];
  for (const python of candidates) {
    if (!existsSync(python)) {
      tried.push(`${python}: not found`);
      continue;
    }
    const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', ...(python === '/usr/bin/python3' ? { OPENBLAS_CORETYPE: 'SkylakeX' } : {}) };
    const probe = spawnSync(python, ['-c', 'import json, torch, transformers; print(json.dumps({"torch": torch.__version__, "transformers": transformers.__version__}))'], { env, encoding: 'utf8' });
    if (probe.status === 0) return { python, env, versions: JSON.parse(probe.stdout.trim().split('\n').pop()) };
    const last = (probe.stderr || '').trim().split('\n').pop() || `exit ${probe.status}`;
    tried.push(`${python}: ${last}`);
  }
  return { reason: `no Python with torch + transformers (${tried.join('; ')}); set ATTN_BENCH_PYTHON or pass --python` };
}

/** Runs one side; resolves with its result object (plus wallSeconds). Rejects with its output tail on failure. */
export function runChild(label, command, args, { env = process.env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let result;
    let tail = '';
    const keep = (s) => { tail = (tail + s).slice(-4000); };
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length));
        else if (line.trim()) { console.log(`  [${label}] ${line}`); keep(line + '\n'); }
      }
    });
    child.stderr.on('data', (chunk) => {
      const text = String(chunk);
      keep(text);
      // Python's library warnings are noise here; keep them for the failure message only.
      if (process.env.ATTN_BENCH_VERBOSE) process.stderr.write(text.replace(/^/gm, `  [${label}] `));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && result) resolvePromise({ ...result, wallSeconds: (performance.now() - started) / 1000 });
      else reject(new Error(`${label} failed (exit ${code}${result ? '' : ', no result line'}):\n${tail}`));
    });
  });
}

/**
 * runChild for one side of one row: adds seqPerSec by the workload's timing rule. A failing side
 * (out of memory, a Python error) does not end the bench: it comes back as { error, seqPerSec: NaN }
 * and its cells print as —.
 */
export async function runSide(label, command, args, { env, workload } = {}) {
  try {
    const res = await runChild(label, command, args, { env });
    return workload ? { ...res, seqPerSec: sequencesPerSecond(workload.timing, res.stepMs, res.batchSizes) } : res;
  } catch (err) {
    const lines = err.message.split('\n').map((l) => l.trim()).filter(Boolean);
    const cause = lines.filter((l) => /Error\b|Aborted\(\)|Traceback|Killed/.test(l)).pop() ?? lines.slice(-3).join(' | ');
    console.log(`  ${label}: FAILED — ${cause}`);
    return { error: err.message, seqPerSec: NaN };
  }
}

/** Plain-text table: columns [{ title, get(row) → string|number|undefined, digits? }]. */
export function formatTable(rows, columns) {
  const cell = (c, r) => {
    const v = c.get(r);
    if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return '—';
    return typeof v === 'number' ? v.toFixed(c.digits ?? 1) : String(v);
  };
  const body = rows.map((r) => columns.map((c) => cell(c, r)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((s, i) => (i < 2 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ');
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function writeJsonResults(path, payload) {
  mkdirSync(dirname(path), { recursive: true }); // the default results folder is ignored, so a clean clone lacks it
  writeFileSync(path, `${JSON.stringify(payload, null, 2)}\n`);
  console.log(`\nResults written to ${path}`);
}

/**
 * Shown instead of a live PyTorch column when no Python is found: measured on this kind of machine
 * (2 threads, fixed b32 × s128, medians, sequences/s; /work/shared/notes/machine-facts.md, 2026-11-29).
 */
export const REFERENCE_FIGURES = {
  source: 'machine-facts.md reference, 2026-11-29, another run (fixed b32×s128, 2 threads) — NOT measured now',
  train: { torch: { tiny: 183, mini: 42, small: 15.7, base: 2.4 } },
  infer: { torch: { tiny: 1261, mini: 221, small: 49, base: 7.6 }, ort: { tiny: 1030, mini: 178, small: 60, base: 8.7 } },
};

export const mb = (kb) => (kb === undefined ? undefined : kb / 1024);

/** The median of a non-empty list of numbers (the mean of the middle two for an even count). */
export function median(xs) {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
