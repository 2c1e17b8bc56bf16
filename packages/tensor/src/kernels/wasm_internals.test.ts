// The contract with tfjs-backend-wasm's private members, one test per member: a tfjs upgrade that changes one
// of them fails here, under that member's name, and initBackend then keeps the stock kernels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../backend';
import { tf } from '../tf';
import {
  WASM_INTERNALS_TFJS_VERSION,
  WASM_MEMBERS,
  isWasmBackendObject,
  recordingGradients,
  withTapeSetAside,
  releaseWasmView,
  wasmHeap,
  wasmHeapArray,
  wasmHeapBytes,
  wasmHeapOffset,
  wasmInternalsProblems,
  wasmMatMul2d,
  wasmOutput,
  wasmViewAt,
} from './wasm_internals';

let backend: tf.KernelBackend;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  backend = tf.backend();
});
afterAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const member = (name: string) => WASM_MEMBERS.find((m) => m.member === name)!;

describe('tfjs-backend-wasm private members (contract for 4.22.0)', () => {
  it('versions: tfjs-core and tfjs-backend-wasm are the version the adapter was written for', () => {
    expect(tf.version_core).toBe(WASM_INTERNALS_TFJS_VERSION);
    expect(version_wasm).toBe(WASM_INTERNALS_TFJS_VERSION);
    expect(wasmInternalsProblems(backend, { core: tf.version_core, wasm: version_wasm })).toEqual([]);
    expect(isWasmBackendObject(backend)).toBe(true);
  });

  it('makeOutput: a new tensor on the heap, of the shape and dtype asked for', () => {
    expect(member('makeOutput').present(backend)).toBe(true);
    const ids = backend.numDataIds();
    const out = wasmOutput(backend, [2, 3], 'int32');
    expect(out.shape).toEqual([2, 3]);
    expect(out.dtype).toBe('int32');
    expect(wasmHeapArray(backend, out)).toBeInstanceOf(Int32Array);
    backend.disposeData(out.dataId);
    expect(backend.numDataIds()).toBe(ids);
  });

  it('makeOutput with an offset: a view inside memory another tensor owns', () => {
    const x = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const view = wasmViewAt(backend, [3], 'float32', wasmHeapOffset(backend, x)! + 3 * 4);
    expect(Array.from(wasmHeapArray(backend, view))).toEqual([4, 5, 6]);
    releaseWasmView(backend, view);
    x.dispose();
  });

  it('typedArrayFromHeap: a zero-copy view of the tensor (writes show in the tensor)', () => {
    expect(member('typedArrayFromHeap').present(backend)).toBe(true);
    const x = tf.tensor1d([1, 2, 3]);
    const v = wasmHeapArray(backend, x);
    expect(Array.from(v)).toEqual([1, 2, 3]);
    v[1] = 7;
    expect(Array.from(x.dataSync())).toEqual([1, 7, 3]);
    x.dispose();
  });

  it('dataIdMap: gives the byte offset of a tensor in the heap, nothing once it is disposed', () => {
    expect(member('dataIdMap').present(backend)).toBe(true);
    const x = tf.tensor1d([5, 6, 7, 8]);
    const off = wasmHeapOffset(backend, x)!;
    expect(off % 4).toBe(0);
    expect(Array.from(new Float32Array(wasmHeap(backend), off, 4))).toEqual([5, 6, 7, 8]);
    x.dispose();
    expect(wasmHeapOffset(backend, x)).toBeUndefined();
  });

  it('wasm.HEAPU8: the heap; growing it replaces the buffer and keeps offsets valid', () => {
    expect(member('wasm.HEAPU8').present(backend)).toBe(true);
    const x = tf.tensor1d([9, 8, 7]);
    const off = wasmHeapOffset(backend, x)!;
    const before = wasmHeap(backend);
    const bytes = wasmHeapBytes(backend)!;
    expect(bytes).toBe(before.byteLength);
    const big = tf.zeros([Math.ceil(bytes / 4) + 1024]); // more than the heap holds: it must grow
    expect(wasmHeap(backend)).not.toBe(before);
    expect(Array.from(new Float32Array(wasmHeap(backend), off, 3))).toEqual([9, 8, 7]);
    tf.dispose([x, big]);
    expect(wasmHeapBytes(tf.findBackend('cpu'))).toBeUndefined();
  });

  it('wasm.cwrap and wasm._BatchMatMul: the C matmul by its argument list, on 2-D views', () => {
    expect(member('wasm.cwrap').present(backend)).toBe(true);
    expect(member('wasm._BatchMatMul').present(backend)).toBe(true);
    // a [2,3] · b [3,2] written into the second half of a [2,2,2] output
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const o = tf.zeros([2, 2, 2]);
    const ov = wasmViewAt(backend, [2, 2], 'float32', wasmHeapOffset(backend, o)! + 4 * 4);
    wasmMatMul2d(backend, a, b, ov);
    releaseWasmView(backend, ov);
    expect(Array.from(o.dataSync())).toEqual([0, 0, 0, 0, 4, 5, 10, 11]);
    tf.dispose([a, b, o]);
  });

  it('wasm.tfjs.disposeData: releasing a view unregisters it without freeing the owner', () => {
    expect(member('wasm.tfjs.disposeData').present(backend)).toBe(true);
    const x = tf.tensor1d([1, 2, 3, 4]);
    const ids = backend.numDataIds();
    const view = wasmViewAt(backend, [2], 'float32', wasmHeapOffset(backend, x)!);
    expect(backend.numDataIds()).toBe(ids + 1);
    releaseWasmView(backend, view);
    expect(backend.numDataIds()).toBe(ids);
    // The owner's memory is still its own: a new allocation does not land on it.
    const y = tf.tensor1d([0, 0, 0, 0]);
    expect(wasmHeapOffset(backend, y)).not.toBe(wasmHeapOffset(backend, x));
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([x, y]);
  });

  it("tfjs-core's engine.state.gradientDepth: 0 outside a gradient tape, above 0 inside; a missing field reads as recording", () => {
    expect(recordingGradients(tf.engine())).toBe(false);
    let inside: boolean | undefined;
    const g = tf.grad((x: tf.Tensor) => {
      inside = recordingGradients(tf.engine());
      return x.square();
    })(tf.scalar(3));
    expect(inside).toBe(true);
    expect(g.dataSync()[0]).toBe(6);
    g.dispose();
    expect(recordingGradients({ state: {} })).toBe(true);
  });

  it("tfjs-core's engine.state.activeTape: withTapeSetAside takes a gradient inside a gradient and leaves the outer tape whole", () => {
    const engine = tf.engine();
    let innerRecording: boolean | undefined;
    let inner: number | undefined;
    const g = tf.grad((x: tf.Tensor) => {
      expect((engine as unknown as { state: { activeTape: unknown } }).state.activeTape).not.toBeNull();
      inner = withTapeSetAside(engine, () => {
        innerRecording = recordingGradients(engine);
        const d = tf.grad((y: tf.Tensor) => y.mul(y).mul(y))(tf.scalar(2)); // d(y^3)/dy at 2 = 12
        const v = d.dataSync()[0]!;
        d.dispose();
        return v;
      });
      return x.square();
    })(tf.scalar(3));
    expect([innerRecording, inner, g.dataSync()[0]]).toEqual([false, 12, 6]); // the outer gradient survived
    expect(recordingGradients(engine)).toBe(false);
    g.dispose();
    expect(() => withTapeSetAside({ state: {} }, () => 0)).toThrow(/no state\.activeTape \/ state\.gradientDepth/);
  });

  it('every member listed has a test above', () => {
    expect(WASM_MEMBERS.map((m) => m.member)).toEqual([
      'makeOutput',
      'typedArrayFromHeap',
      'dataIdMap',
      'wasm.HEAPU8',
      'wasm.cwrap',
      'wasm._BatchMatMul',
      'wasm.tfjs.disposeData',
    ]);
  });
});

describe('wasmInternalsProblems', () => {
  it('names a version other than the one written for, and each missing member', () => {
    const fake = { makeOutput() {}, wasm: { HEAPU8: new Uint8Array(4) } };
    expect(wasmInternalsProblems(fake, { core: '4.22.0', wasm: '4.23.0' })).toEqual([
      'tfjs-backend-wasm is 4.23.0, not 4.22.0',
      'missing typedArrayFromHeap, dataIdMap, wasm.cwrap, wasm._BatchMatMul, wasm.tfjs.disposeData',
    ]);
    expect(wasmInternalsProblems(undefined, { core: '5.0.0' })).toEqual(['tfjs-core is 5.0.0, not 4.22.0']);
    expect(wasmInternalsProblems(undefined, { core: '4.22.0', wasm: '4.22.0' })).toEqual([]);
    expect(isWasmBackendObject(fake)).toBe(false);
  });
});
