import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAddonFrom, loadNativeAddon, nativeAddonCandidates } from './native_addon';

const addon = loadNativeAddon();

describe('loading the addon', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('looks in prebuilds/<platform>-<arch> before the local node-gyp build', () => {
    const c = nativeAddonCandidates('/pkg');
    expect(c).toEqual([
      join('/pkg', 'prebuilds', `${process.platform}-${process.arch}`, 'attn_native.node'),
      join('/pkg', 'native', 'build', 'Release', 'attn_native.node'),
    ]);
  });

  it('says which files it looked for when none exists', () => {
    vi.stubEnv('ATTN_NATIVE', '1');
    const s = loadAddonFrom(['/nonexistent/attn_native.node']);
    expect(s.addon).toBeNull();
    expect(s.reason).toMatch(/no attn_native\.node .*\/nonexistent\/attn_native\.node/);
    expect(s.reason).not.toContain('\n');
  });

  it('turns a broken addon into a one-line reason, not an exception', () => {
    vi.stubEnv('ATTN_NATIVE', '1');
    const dir = mkdtempSync(join(tmpdir(), 'attn-native-'));
    const fake = join(dir, 'attn_native.node');
    writeFileSync(fake, 'not an ELF file');
    const s = loadAddonFrom([fake]);
    expect(s.addon).toBeNull();
    expect(s.reason).toMatch(/failed to load/);
    expect(s.reason).not.toContain('\n');
  });

  it('is disabled by ATTN_NATIVE=0', () => {
    vi.stubEnv('ATTN_NATIVE', '0');
    const s = loadAddonFrom(nativeAddonCandidates());
    expect(s).toEqual({ addon: null, reason: 'disabled by ATTN_NATIVE=0' });
  });

  it.skipIf(!addon)('reports its micro-kernel and thread count', () => {
    const info = addon!.info();
    expect(['avx512', 'avx2', 'portable']).toContain(info.isa);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!addon)('gives the same product after the thread count changes (workers restart)', () => {
    const a = addon!;
    const heap = new ArrayBuffer(4 << 20);
    const f = new Float32Array(heap);
    for (let i = 0; i < 3 * 256 * 256; i++) f[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    const original = a.info().threads;
    const results: Float32Array[] = [];
    for (const n of [1, 3, 2, original]) {
      a.setThreads(n);
      expect(a.info().threads).toBe(n);
      for (let rep = 0; rep < 3; rep++) a.gemm(heap, 0, 256 * 256 * 4, 2 * 256 * 256 * 4, 1, 256, 256, 256, 0, 1, 1, 1, null, null);
      results.push(new Float32Array(heap, 2 * 256 * 256 * 4, 256 * 256).slice());
    }
    // Threads split rows of C; each element is computed the same way whatever the split.
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });

  it.skipIf(!addon)('rejects offsets outside the heap instead of reading past it', () => {
    const heap = new ArrayBuffer(1024);
    expect(() => addon!.gemm(heap, 0, 0, 1020, 1, 2, 2, 2, 0, 0, 1, 1, null, null)).toThrow(/outside the 1024-byte heap/);
    expect(() => addon!.gemm(heap, 2, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, null, null)).toThrow(/outside/);
    expect(() => addon!.sum(new Float32Array(4) as unknown as ArrayBuffer, 0, 0, 1, 1, 0)).toThrow(/ArrayBuffer/);
    expect(() => addon!.gemm(heap, 0, 0, 0, 2, 1, 1, 1, 0, 0, 3, 1, null, null)).toThrow(/index arrays/);
  });
});

describe.skipIf(!addon)('encoderLayer: packed and int8 weight arrays', () => {
  // batch 1, seq 2, hidden 4, 1 head, inter 8: 19 tensors laid out one after another on a scratch heap.
  const h = 4, inter = 8, rows = 2;
  const extents = [rows * h, rows, h * h, h, h * h, h, h * h, h, h * h, h, h, h, h * inter, inter, inter * h, h, h, h, rows * h];
  const offsets = new Float64Array(19);
  let at = 0;
  extents.forEach((n, i) => ((offsets[i] = at * 4), (at += n)));
  const heap = new ArrayBuffer(at * 4);
  new Float32Array(heap).fill(0.1);
  const dims = Float64Array.of(1, rows, h, 1, inter, 0, 1e-12, 1e-12);
  const entry = (addon as unknown as { encoderLayer: (...a: unknown[]) => void }).encoderLayer;

  it('runs with gemmPack buffers and refuses one of the wrong shape or the wrong kind in one line', () => {
    const pack = (k: number, n: number, off: number) => addon!.gemmPack!(heap, off, k, n);
    const good = [pack(h, h, offsets[2]!), pack(h, h, offsets[4]!), pack(h, h, offsets[6]!), pack(h, h, offsets[8]!), pack(h, inter, offsets[12]!), pack(inter, h, offsets[14]!)];
    expect(() => entry(heap, offsets, dims, null, good)).not.toThrow();
    const swapped = [...good];
    swapped[4] = good[5]!; // w2's [8, 4] pack where w1's [4, 8] belongs
    expect(() => entry(heap, offsets, dims, null, swapped)).toThrow(/^attn-native: encoderLayer: packed\[4\] must be gemmPack's buffer for a \[4, 8\] weight$/);
    expect(() => entry(heap, offsets, dims, null, good.slice(0, 5))).toThrow(/packed must be an array of 6/);
    expect(() => entry(heap, offsets, dims, [new ArrayBuffer(16), null, null, null, null, null])).toThrow(/^attn-native: encoderLayer: int8\[0\] must be int8Pack's buffer for a \[4, 4\] weight$/);
  });
});
