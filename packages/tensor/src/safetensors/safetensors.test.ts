import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { floatToBfloat16, floatToHalf, halfToFloat } from './dtype';
import { loadCheckpointWeights, loadSafetensors, saveSafetensors } from './file_io';
import { parseSafetensors, parseSafetensorsMetadata } from './parse';
import { SafetensorsError } from './safetensors_error';
import { serializeSafetensors } from './serialize';

const here = dirname(fileURLToPath(import.meta.url));
const ref = resolve(here, '../../../../fixtures/reference');
const ckpt = (name: string) => join(ref, 'checkpoints', name);
let tmp: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  tmp = await mkdtemp(join(tmpdir(), 'attn-safetensors-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Builds a raw file from a header object and data bytes (for hand-made and broken files). */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('decodes F16 including subnormals and specials', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24);
    expect(halfToFloat(0x0400)).toBe(2 ** -14);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
  });

  it('encodes F16 exactly for every half value and rounds to nearest even in between', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = halfToFloat(h);
      if (Number.isNaN(v)) expect(Number.isNaN(halfToFloat(floatToHalf(v)))).toBe(true);
      else expect(floatToHalf(v)).toBe(h);
    }
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // halfway: to the even mantissa
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToHalf(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(floatToHalf(65519)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00); // rounds past the largest half: Inf
    expect(floatToHalf(-1e6)).toBe(0xfc00);
    expect(floatToHalf(2 ** -25)).toBe(0); // halfway to the smallest subnormal: even (0)
    expect(floatToHalf(1.5 * 2 ** -25)).toBe(1);
    expect(floatToHalf(3 * 2 ** -25)).toBe(2); // 1.5 subnormal units: to even
    expect(floatToHalf(-0)).toBe(0x8000);
    expect(floatToHalf(1e-30)).toBe(0);
    fc.assert(
      fc.property(fc.float({ noNaN: true, min: -60000, max: 60000 }), (v) => {
        const back = halfToFloat(floatToHalf(v));
        // Within half an ulp of the half grid (2^-24 absolute below 2^-14).
        const ulp = Math.abs(v) < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 10);
        return Math.abs(back - v) <= ulp / 2;
      }),
    );
  });

  it('encodes BF16 as the rounded top half of a float32', () => {
    expect(floatToBfloat16(1)).toBe(0x3f80);
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80); // halfway: even
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(floatToBfloat16(-2)).toBe(0xc000);
    expect(floatToBfloat16(Infinity)).toBe(0x7f80);
    expect(floatToBfloat16(NaN) & 0x7fc0).toBe(0x7fc0);
  });

  it('writes float32 tensors as F16 / BF16 on request, which load back as float32', () => {
    const w = tf.tensor2d([[1, -2.5], [65504, 1e-8]]);
    const bytes = serializeSafetensors({ w, b: tf.tensor1d([0.1]) }, undefined, { dtypes: { w: 'F16', b: 'BF16' } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.w).toEqual({ dtype: 'F16', shape: [2, 2], data_offsets: [2, 10] });
    expect(header.b).toEqual({ dtype: 'BF16', shape: [1], data_offsets: [0, 2] });
    const back = parseSafetensors(bytes, 'f16-test');
    expect(Array.from(back.w!.dataSync())).toEqual([1, -2.5, 65504, halfToFloat(floatToHalf(1e-8))]);
    expect(back.b!.dtype).toBe('float32');
    expect(back.b!.dataSync()[0]).toBeCloseTo(0.1, 2);
    expect(() => serializeSafetensors({ i: tf.tensor1d([1], 'int32') }, undefined, { dtypes: { i: 'F16' } })).toThrow(/cannot store a int32 tensor as F16/);
    tf.dispose([w, ...Object.values(back)]);
  });

  it('round-trips F32/I32/I64/BOOL with metadata, HF layout (sorted, padded to 8)', async () => {
    const tensors = {
      'b.weight': tf.tensor2d([[1.5, -2], [3.25, 1e-30]]),
      'a.ids': tf.tensor1d([0, -7, 2147483647], 'int32'),
      'c.mask': tf.tensor1d([true, false, true], 'bool'),
      'd.empty': tf.zeros([0, 3]),
    };
    const bytes = serializeSafetensors(tensors, { format: 'pt' }, { dtypes: { 'a.ids': 'I64' } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(Object.keys(header)).toEqual(['__metadata__', 'a.ids', 'b.weight', 'c.mask', 'd.empty']);
    expect(header['a.ids']).toEqual({ dtype: 'I64', shape: [3], data_offsets: [0, 24] });
    const back = parseSafetensors(bytes, 'mem');
    expect(parseSafetensorsMetadata(bytes, 'mem')).toEqual({ format: 'pt' });
    for (const [k, t] of Object.entries(tensors)) {
      expect(back[k]!.dtype).toBe(t.dtype);
      expect(back[k]!.shape).toEqual(t.shape);
      expect(Array.from(back[k]!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    const path = join(tmp, 'rt.safetensors');
    await saveSafetensors(path, tensors, { format: 'pt' });
    const loaded = await loadSafetensors(path);
    expect(Array.from(loaded['b.weight']!.dataSync())).toEqual(Array.from(tensors['b.weight'].dataSync()));
    tf.dispose([...Object.values(tensors), ...Object.values(back), ...Object.values(loaded)]);
  });

  it('reads I8, U8 and rejects I64 outside int32', () => {
    const data = new Uint8Array([0xff, 0x80, 0x7f, 0xff, 0x80, 0x7f]);
    const t = parseSafetensors(
      rawFile({ i8: { dtype: 'I8', shape: [3], data_offsets: [0, 3] }, u8: { dtype: 'U8', shape: [3], data_offsets: [3, 6] } }, data),
      'mem',
    );
    expect(Array.from(t.i8!.dataSync())).toEqual([-1, -128, 127]);
    expect(Array.from(t.u8!.dataSync())).toEqual([255, 128, 127]);
    tf.dispose(Object.values(t));
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 31n, true);
    expect(() => parseSafetensors(rawFile({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big), 'ids.st')).toThrow(
      /ids\.st: tensor "x": I64 value 2147483648 at index 0 does not fit in int32/,
    );
  });

  it.each([
    ['header length > file', (() => { const b = rawFile({}); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), /larger than the file/],
    ['header above 100 MB', (() => { const b = rawFile({}); new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true); return b; })(), /above the 104857600-byte limit/],
    ['too short', new Uint8Array(5), /shorter than the 8-byte/],
    ['not JSON', rawFile(null, new Uint8Array(0), '{"a": '), /not valid UTF-8 JSON/],
    ['not an object', rawFile([1, 2]), /not an object/],
    ['unknown dtype', rawFile({ x: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), /unknown dtype "F64"/],
    ['out of range', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)), /out of range/],
    ['shape mismatch', rawFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /needs 12 bytes but data_offsets span 8/],
    ['overlap', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), /overlapping/],
    ['bad shape', rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }), /not a list of non-negative integers/],
  ] as Array<[string, Uint8Array, RegExp]>)('rejects %s with a SafetensorsError naming the file', (_, bytes, re) => {
    let err: unknown;
    try {
      parseSafetensors(bytes, 'bad.safetensors');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as SafetensorsError).source).toBe('bad.safetensors');
    expect((err as Error).message).toMatch(/^bad\.safetensors: /);
    expect((err as Error).message).toMatch(re);
  });

  it('fuzz: thousands of random corruptions give tensors or a SafetensorsError, never anything else', () => {
    const valid = tf.tidy(() =>
      serializeSafetensors({ a: tf.tensor2d([[1, 2], [3, 4]]), b: tf.tensor1d([5, 6, 7], 'int32'), c: tf.tensor1d([true], 'bool') }, { k: 'v' }),
    );
    const before = tf.memory().numTensors;
    const corruption = fc.oneof(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
        const b = valid.slice();
        for (const [i, v] of flips) b[i] = v;
        return b;
      }),
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat(7), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
        const b = valid.slice();
        b[i] = v;
        return b;
      }),
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue().map((j) => rawFile(null, valid.subarray(valid.length - 32), JSON.stringify(j))),
    );
    fc.assert(
      fc.property(corruption, (bytes) => {
        try {
          tf.dispose(Object.values(parseSafetensors(bytes, 'fuzz')));
        } catch (e) {
          if (!(e instanceof SafetensorsError)) throw e;
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('micro checkpoint, sharded, fp16 and bf16 agree with the f32 weights', async () => {
    const f32 = await loadCheckpointWeights(ckpt('micro-seqcls'));
    const sharded = await loadCheckpointWeights(ckpt('micro-sharded'));
    const fp16 = await loadSafetensors(join(ckpt('micro-fp16'), 'model.safetensors'));
    const bf16 = await loadSafetensors(join(ckpt('micro-bf16'), 'model.safetensors'));
    expect(Object.keys(f32).length).toBeGreaterThan(30);
    expect(f32['bert.embeddings.word_embeddings.weight']!.shape).toEqual([1024, 64]);
    expect(Object.keys(sharded).sort()).toEqual(Object.keys(f32).sort());
    let subnormals = 0;
    for (const [name, t] of Object.entries(f32)) {
      const x = t.dataSync();
      expect(Array.from(sharded[name]!.dataSync())).toEqual(Array.from(x));
      const h = fp16[name]!.dataSync();
      const b = bf16[name]!.dataSync();
      expect(fp16[name]!.dtype).toBe('float32');
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        // F16: within half an ulp (2^-11 relative; 2^-25 absolute for subnormals).
        expect(Math.abs(h[i]! - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25) * 1.0001);
        if (h[i] !== 0 && Math.abs(h[i]!) < 2 ** -14) subnormals++;
        // BF16: exactly the float32 rounded to nearest-even on the low 16 bits.
        const bits = new Uint32Array(new Float32Array([v]).buffer)[0]!;
        const rounded = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16;
        expect(b[i]).toBe(new Float32Array(new Uint32Array([rounded >>> 0]).buffer)[0]);
      }
    }
    expect(subnormals).toBe(196);
    const samples = JSON.parse(await readFile(join(ref, 'vectors/micro-fp16.json'), 'utf8')).decode_samples as Array<{
      key: string;
      flat_index: number;
      float32_value: number;
    }>;
    for (const s of samples) expect(fp16[s.key]!.dataSync()[s.flat_index]).toBe(s.float32_value);
    tf.dispose([...Object.values(f32), ...Object.values(sharded), ...Object.values(fp16), ...Object.values(bf16)]);
  });

  it('file errors are SafetensorsErrors naming the path; a missing shard is reported', async () => {
    await expect(loadSafetensors(join(tmp, 'nope.safetensors'))).rejects.toThrow(SafetensorsError);
    await expect(loadCheckpointWeights(tmp)).rejects.toThrow(/no model\.safetensors/);
    const dir = join(tmp, 'shards');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 's1.safetensors', b: 's1.safetensors' } }));
    await writeFile(join(dir, 's1.safetensors'), tf.tidy(() => serializeSafetensors({ a: tf.ones([2]) })));
    const before = tf.memory().numTensors;
    await expect(loadCheckpointWeights(dir)).rejects.toThrow(/tensor "b" listed in the index is missing/);
    expect(tf.memory().numTensors).toBe(before);
    const truncated = join(tmp, 'trunc.safetensors');
    const good = tf.tidy(() => serializeSafetensors({ a: tf.ones([64]) }));
    await writeFile(truncated, good.subarray(0, good.length - 10));
    await expect(loadSafetensors(truncated)).rejects.toThrow(/trunc\.safetensors: tensor "a": data_offsets \[0, 256\] out of range/);
  });

  it('writes int32 tensors as I8 (int8 weights) and refuses values outside -128..127', () => {
    const bytes = tf.tidy(() => serializeSafetensors({ q: tf.tensor1d([-128, -1, 0, 127], 'int32') }, undefined, { dtypes: { q: 'I8' } }));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)))));
    expect(header.q).toEqual({ dtype: 'I8', shape: [4], data_offsets: [0, 4] });
    const back = parseSafetensors(bytes, 'q.safetensors');
    expect(Array.from(back.q!.dataSync())).toEqual([-128, -1, 0, 127]);
    tf.dispose(Object.values(back));
    expect(() => tf.tidy(() => serializeSafetensors({ q: tf.tensor1d([128], 'int32') }, undefined, { dtypes: { q: 'I8' }, source: 'w.safetensors' }))).toThrow(
      /w\.safetensors: tensor "q": value 128 at 0 does not fit I8/,
    );
  });
});
