// The fused encoder layer split over threads by sequence (each pool thread runs its share of the sequences through the
// whole layer, its GEMMs and passes serial inside the task) gives the outputs bit for bit of the layer threaded phase
// by phase (ATTN_LAYER_SPLIT=0): uniform batches, masks with uneven lengths with and without padding skipped (a fully
// padded sequence among them), weights packed once and int8 weights, on 2 and 3 threads. Each run is a child process:
// the switch is read once per process. The profile's count shows the split did happen (and not with it off).
// The first-rows-only layer (flag 2: a sequence classifier's last layer) is checked in the same runs against the full
// layer: each sequence's first row equal, every other row the input x unchanged.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeAddonStatus } from './native_addon';

const status = nativeAddonStatus();

const script = `
const addon = require(process.argv[1]);
let seed = 5;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
const h = 64, heads = 4, inter = 128;
let hash = 2166136261, firstWorst = 0, passWorst = 0, firstCalls = 0;
for (const threads of [2, 3]) {
  addon.setThreads(threads);
  // [batch, seq, mask: 0 none / 1 uneven lengths / 2 uneven with a fully padded sequence, flags (1 skip padding,
  // 2 first rows only), weights]
  for (const [batch, seq, maskKind, skip, weights] of [[6, 20, 0, 0, 'plain'], [7, 19, 1, 1, 'plain'], [7, 19, 2, 1, 'plain'],
    [5, 24, 1, 0, 'plain'], [4, 33, 1, 1, 'packed'], [9, 11, 2, 1, 'int8'], [2, 40, 0, 0, 'plain'], [1, 50, 1, 1, 'plain'],
    [7, 19, 2, 3, 'plain'], [6, 20, 0, 2, 'packed'], [9, 11, 1, 3, 'int8'], [1, 50, 1, 2, 'plain']]) {
    const rows = batch * seq;
    const extents = [rows * h, rows, h * h, h, h * h, h, h * h, h, h * h, h, h, h, h * inter, inter, inter * h, h, h, h, rows * h];
    const offsets = new Float64Array(19);
    let at = 0;
    extents.forEach((n, i) => ((offsets[i] = at * 4), (at += n)));
    const heap = new ArrayBuffer(at * 4);
    const f = new Float32Array(heap);
    for (let i = 0; i < at; i++) f[i] = rnd() * 0.5;
    for (const i of [10, 16]) f.fill(1, offsets[i] / 4, offsets[i] / 4 + h); // LayerNorm gammas
    const mask = f.subarray(offsets[1] / 4, offsets[1] / 4 + rows);
    for (let b = 0; b < batch; b++) {
      const real = maskKind === 2 && b === 1 ? 0 : seq - ((b * 5) % seq);
      for (let s = 0; s < seq; s++) mask[b * seq + s] = s < real ? 0 : -1e9;
    }
    if (maskKind === 0) offsets[1] = -1;
    const shapes = [[2, h, h], [4, h, h], [6, h, h], [8, h, h], [12, h, inter], [14, inter, h]]; // [offset, k, n]
    let int8 = null, packed = null;
    if (weights === 'packed') packed = shapes.map(([i, k, n]) => addon.gemmPack(heap, offsets[i], k, n));
    if (weights === 'int8') int8 = shapes.map(([i, k, n]) => {
      const w = new Int8Array(n * k), sc = new Float32Array(n);
      for (let j = 0; j < w.length; j++) w[j] = Math.round(rnd() * 200);
      for (let j = 0; j < n; j++) sc[j] = 0.002;
      return addon.int8Pack(w, sc, n, k);
    });
    const dims = (flags) => Float64Array.of(batch, seq, h, heads, inter, 0, 1e-12, 1e-12, flags);
    addon.encoderLayer(heap, offsets, dims(skip), int8, packed);
    for (const w of new Uint32Array(heap, offsets[18], rows * h)) hash = Math.imul(hash ^ w, 16777619) >>> 0;
    if (skip & 2) {
      firstCalls++;
      const y = f.slice(offsets[18] / 4, offsets[18] / 4 + rows * h), x = f.subarray(0, rows * h);
      addon.encoderLayer(heap, offsets, dims(skip & 1), int8, packed);
      const full = f.subarray(offsets[18] / 4, offsets[18] / 4 + rows * h);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < h; j++) {
          const i = r * h + j;
          if (r % seq === 0) firstWorst = Math.max(firstWorst, Math.abs(y[i] - full[i]));
          else passWorst = Math.max(passWorst, Math.abs(y[i] - x[i]));
        }
    }
  }
}
console.log(JSON.stringify({ hash, firstWorst, passWorst, firstCalls }));
`;

type Run = { hash: number; firstWorst: number; passWorst: number; firstCalls: number; splits: number };

function run(split: '0' | '1'): Run {
  const child = spawnSync(process.execPath, ['-e', script, status.path!], {
    env: { ...process.env, ATTN_LAYER_SPLIT: split, ATTN_ENCODER_LAYER_PROFILE: '1' },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  // The profile, printed to stderr at exit: "attn encoder layer profile (wall): N calls (M split over threads), …".
  const splits = /\((\d+) split over threads\)/.exec(child.stderr);
  return { ...JSON.parse(child.stdout.trim().split('\n').pop()!), splits: splits ? Number(splits[1]) : -1 };
}

describe.skipIf(!status.addon)('encoder layer split over threads by sequence', () => {
  it('gives the phase-threaded layer bit for bit, and splits only when on', () => {
    const on = run('1');
    const off = run('0');
    expect(on.hash).toBe(off.hash);
    expect(off.splits).toBe(0);
    // 24 calls and 8 full-layer references for the first-rows-only ones: batch 1 never splits and batch 2 not on 3
    // threads; the other 25 (batch >= threads, enough work) do.
    expect(on.splits).toBe(25);
    for (const r of [on, off]) {
      expect(r.firstCalls).toBe(8);
      expect(r.firstWorst).toBeLessThanOrEqual(1e-5);
      expect(r.passWorst).toBe(0);
    }
  });
});
