// The AdamW kernel's gradScale (gradient clipping folded into the update) and its AVX-512 loop, straight on the
// addon: scaling inside the kernel gives the bits of a separate float32 g · scale pass, and the vector loop the
// bits of the scalar one (ATTN_NATIVE_ISA=avx2 forces the scalar loop; the choice is made once per process).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeAddonStatus } from '../native_addon';

const status = nativeAddonStatus();

const script = `
const addon = require(process.argv[1]);
const sizes = [5, 16, 100003, 33];
const total = sizes.reduce((a, b) => a + b, 0);
function run(scale, prescale, step) {
  const heap = new ArrayBuffer(4 * total * 7);
  const f = new Float32Array(heap);
  let s = 12345;
  for (let i = 0; i < 4 * total; i++) { s = (s * 1103515245 + 12345) % 2147483648; f[i] = (s / 2147483648 - 0.5) * (i % 7 === 0 ? 1e-3 : 1); }
  for (let i = 2 * total; i < 4 * total; i++) f[i] = Math.abs(f[i]) * 1e-2; // m, v >= 0
  if (prescale !== 1) for (let i = total; i < 2 * total; i++) f[i] = Math.fround(f[i] * Math.fround(prescale));
  const table = new Float64Array(9 * sizes.length);
  let off = 0;
  sizes.forEach((n, i) => {
    for (let k = 0; k < 7; k++) table[9 * i + k] = 4 * (k * total + off);
    table[9 * i + 7] = n;
    table[9 * i + 8] = i % 2 ? 0 : 0.01;
    off += n;
  });
  if (scale === undefined) addon.adamw(heap, table, 1e-3, 0.9, 0.999, 1e-8, step);
  else addon.adamw(heap, table, 1e-3, 0.9, 0.999, 1e-8, step, scale);
  return Array.from(new Uint32Array(heap, 16 * total, 3 * total));
}
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const out = [];
for (const step of [1, 9]) {
  const plain = run(undefined, 1, step);
  out.push({ step, scaleOne: same(plain, run(1, 1, step)), folded: same(run(0.37, 1, step), run(1, 0.37, step)),
    checksum: plain.reduce((h, x) => (Math.imul(h, 31) + x) >>> 0, 7), sample: plain.slice(0, 3 * 5) });
}
let err = '';
try { addon.adamw(new ArrayBuffer(64), new Float64Array(9), 1e-3, 0.9, 0.999, 1e-8, 1, -1); } catch (e) { err = e.message; }
console.log(JSON.stringify({ out, err }));
`;

function runWith(isa?: string): { out: { step: number; scaleOne: boolean; folded: boolean; checksum: number }[]; err: string } {
  const env = { ...process.env, ATTN_NATIVE_ISA: isa ?? '' };
  return JSON.parse(execFileSync(process.execPath, ['-e', script, status.path!], { env, encoding: 'utf8' }));
}

describe.skipIf(!status.addon)('AdamW kernel: gradScale and the AVX-512 loop', () => {
  it('folds the scale with the bits of a separate multiply, and the vector loop matches the scalar one', () => {
    const vector = runWith();
    const scalar = runWith('avx2');
    for (const r of [...vector.out, ...scalar.out]) {
      expect(r.scaleOne, `step ${r.step}: gradScale 1 changes nothing`).toBe(true);
      expect(r.folded, `step ${r.step}: gradScale 0.37 = gradients multiplied by 0.37 first`).toBe(true);
    }
    expect(vector.out.map((r) => r.checksum)).toEqual(scalar.out.map((r) => r.checksum));
    expect(vector.err).toMatch(/gradScale must be a number >= 0/);
  });
});
