// The one door to @tensorflow/tfjs-backend-wasm's undocumented members. attn's wasm kernels (here and in
// @attn/tensor-native) read and write tensors in place on the wasm heap, which tfjs allows only through members
// it does not document. They were written against tfjs 4.22.0; initBackend checks every one of them
// (wasmInternalsProblems) before it registers a kernel that uses them, and no other @attn file touches them
// (wasm_internals_boundary.test.ts greps the tree). A tfjs upgrade that changes one fails one contract test.
import type { tf } from '../tf';

/** The tfjs-core and tfjs-backend-wasm version this adapter was written and tested against. */
export const WASM_INTERNALS_TFJS_VERSION = '4.22.0';

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
type HeapArray = Float32Array | Int32Array | Uint8Array;
type CFunction = (...args: unknown[]) => unknown;

/** BackendWasm's private shape, as of 4.22.0 (tfjs-backend-wasm/dist/backend_wasm.d.ts). */
interface BackendWasmPrivate {
  dataIdMap: {
    has(dataId: object): boolean;
    get(dataId: object): { id: number; memoryOffset: number } | undefined;
    delete(dataId: object): boolean;
  };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HeapArray;
  wasm: {
    HEAPU8: Uint8Array;
    cwrap(name: string, ret: null, args: string[]): CFunction;
    tfjs: { disposeData(id: number): void };
    [cSymbol: `_${string}`]: unknown;
  };
}

const priv = (backend: object) => backend as BackendWasmPrivate;

/** One member attn relies on and how to tell it is still there. */
export interface WasmMember {
  /** Its path on the BackendWasm object, e.g. 'wasm.cwrap'. */
  member: string;
  /** What attn uses it for. */
  use: string;
  present(backend: object): boolean;
}

const fn = (x: unknown) => typeof x === 'function';
const b = (backend: object) => backend as Partial<BackendWasmPrivate> & { wasm?: Partial<BackendWasmPrivate['wasm']> };

/** Every private member attn uses; initBackend requires all of them before it registers attn's wasm kernels. */
export const WASM_MEMBERS: readonly WasmMember[] = [
  { member: 'makeOutput', use: 'allocate an output, or register a view at a heap offset (3rd argument)', present: (x) => fn(b(x).makeOutput) },
  { member: 'typedArrayFromHeap', use: 'a typed view of a tensor on the heap', present: (x) => fn(b(x).typedArrayFromHeap) },
  { member: 'dataIdMap', use: "a tensor's heap offset and C-side id", present: (x) => ['has', 'get', 'delete'].every((k) => fn((b(x).dataIdMap as Record<string, unknown> | undefined)?.[k])) },
  { member: 'wasm.HEAPU8', use: 'the heap buffer (replaced when memory grows)', present: (x) => b(x).wasm?.HEAPU8 instanceof Uint8Array },
  { member: 'wasm.cwrap', use: 'bind a C symbol by argument list', present: (x) => fn(b(x).wasm?.cwrap) },
  { member: 'wasm._BatchMatMul', use: 'the C BatchMatMul (XNNPACK) for 2-D views', present: (x) => fn(b(x).wasm?._BatchMatMul) },
  { member: 'wasm.tfjs.disposeData', use: 'release a view without freeing its memory', present: (x) => fn(b(x).wasm?.tfjs?.disposeData) },
];

export interface WasmVersions {
  /** tfjs-core's version (tf.version_core). */
  core?: string;
  /** tfjs-backend-wasm's version (its version_wasm export). */
  wasm?: string;
}

/**
 * What differs from the tfjs attn's wasm kernels were written for: a version other than 4.22.0, or a member missing
 * on the backend object. Without a backend object (before the backend starts) only the versions are checked.
 * Empty when all is as expected. `members` is for tests.
 */
export function wasmInternalsProblems(
  backend: object | undefined,
  versions: WasmVersions,
  members: readonly WasmMember[] = WASM_MEMBERS,
): string[] {
  const problems: string[] = [];
  for (const [pkg, v] of [['tfjs-core', versions.core], ['tfjs-backend-wasm', versions.wasm]] as const) {
    if (v !== undefined && v !== WASM_INTERNALS_TFJS_VERSION) problems.push(`${pkg} is ${v}, not ${WASM_INTERNALS_TFJS_VERSION}`);
  }
  if (!backend) return problems;
  const missing = members.filter((m) => !m.present(backend)).map((m) => m.member);
  if (missing.length) problems.push(`missing ${missing.join(', ')}`);
  return problems;
}

/** tfjs-core's Engine, as of 4.22.0: the gradient tape and how many tapes are recording are undocumented fields of its state. */
interface EnginePrivate {
  state?: { gradientDepth?: unknown; activeTape?: unknown };
}

/**
 * Whether a gradient tape is recording (inside tf.grad, variableGrads or a customGrad's forward), so that a kernel
 * without a gradient must not run. Pass `tf.engine()`. If tfjs no longer has the field this says true, so the caller
 * keeps to ops that have gradients.
 */
export function recordingGradients(engine: object): boolean {
  const depth = (engine as EnginePrivate).state?.gradientDepth;
  return typeof depth !== 'number' || depth > 0;
}

/**
 * Runs `f` with the engine's gradient tape set aside and the gradient depth at 0, then puts both back. tfjs's
 * engine.gradients() keeps one tape and, at depth 0, starts it afresh and discards it: a gradient taken inside a
 * backward pass (gradient checkpointing) would otherwise drop the outer pass's tape. Pass `tf.engine()`.
 */
export function withTapeSetAside<T>(engine: object, f: () => T): T {
  const state = (engine as EnginePrivate).state;
  if (!state || typeof state.gradientDepth !== 'number' || !('activeTape' in state)) {
    throw new Error(`tfjs-core's engine has no state.activeTape / state.gradientDepth (attn was written for tfjs ${WASM_INTERNALS_TFJS_VERSION}); a gradient inside a backward pass cannot be taken.`);
  }
  const outer = { activeTape: state.activeTape, gradientDepth: state.gradientDepth };
  state.activeTape = null;
  state.gradientDepth = 0;
  try {
    return f();
  } finally {
    state.activeTape = outer.activeTape;
    state.gradientDepth = outer.gradientDepth;
  }
}

/** One node of tfjs-core's gradient tape, as of 4.22.0 (tfjs-core/dist/tape.d.ts): an op's inputs, outputs, tensors kept for its gradient, and the gradient. */
export interface TapeNodeView {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  gradient?: (dys: Array<tf.Tensor | null>) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

/** The Engine methods engine.gradients() uses to record a tape, as of 4.22.0. */
interface EngineTapePrivate {
  state: { gradientDepth: number; activeTape: TapeNodeView[] | null };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T>(nameOrFn: string, f: () => T): T;
}

function tapeEngine(engine: object): EngineTapePrivate | undefined {
  const e = engine as Partial<EngineTapePrivate>;
  const ok =
    typeof e.state?.gradientDepth === 'number' &&
    [e.scopedRun, e.startTape, e.endTape, e.tidy].every((m) => typeof m === 'function');
  return ok ? (e as EngineTapePrivate) : undefined;
}

/**
 * Runs `f` (the forward pass) on a fresh gradient tape, as engine.gradients() does, and returns its output with the
 * recorded tape; the caller walks the tape backward and must call `discardTape` afterwards. Undefined, without
 * running f, when a tape is already recording (a gradient inside a gradient) or tfjs lacks the fields: the caller
 * then uses engine.gradients(). Pass `tf.engine()`.
 */
export function recordOnFreshTape(engine: object, f: () => tf.Tensor): { y: tf.Tensor; tape: TapeNodeView[] } | undefined {
  const e = tapeEngine(engine);
  if (!e || e.state.gradientDepth !== 0) return undefined;
  const y = e.scopedRun(
    () => e.startTape(),
    () => e.endTape(),
    () => e.tidy('forward', f),
  );
  const tape = e.state.activeTape;
  if (!Array.isArray(tape)) throw new Error(`tfjs-core's engine recorded no state.activeTape (attn was written for tfjs ${WASM_INTERNALS_TFJS_VERSION}).`);
  return { y, tape };
}

/** Frees what every node of the tape still keeps for its gradient and drops the tape, as engine.gradients() does at depth 0. */
export function discardTape(engine: object, tape: TapeNodeView[]): void {
  for (const node of tape) for (const t of node.saved ?? []) t.dispose();
  const e = tapeEngine(engine);
  if (e && e.state.gradientDepth === 0) e.state.activeTape = null;
}

/** Whether `backend` looks like a BackendWasm with a plain (non-shared) heap: what zero-copy native code needs. */
export function isWasmBackendObject(backend: unknown): backend is object {
  return !!backend && WASM_MEMBERS.every((m) => m.present(backend as object)) && priv(backend as object).wasm.HEAPU8.buffer instanceof ArrayBuffer;
}

/** A new tensor on the heap (uninitialised). */
export function wasmOutput(backend: object, shape: number[], dtype: tf.DataType): TensorInfo {
  return priv(backend).makeOutput(shape, dtype);
}

/**
 * A tensor that is a view of `shape` at `byteOffset` inside memory another tensor owns. It must be released with
 * releaseWasmView, never disposed (that would free the owner's memory).
 */
export function wasmViewAt(backend: object, shape: number[], dtype: tf.DataType, byteOffset: number): TensorInfo {
  return priv(backend).makeOutput(shape, dtype, byteOffset);
}

/** Unregisters a view made by wasmViewAt without freeing the memory under it. */
export function releaseWasmView(backend: object, view: TensorInfo): void {
  const p = priv(backend);
  if (!p.dataIdMap.has(view.dataId)) return;
  const data = p.dataIdMap.get(view.dataId)!;
  p.wasm.tfjs.disposeData(data.id);
  p.dataIdMap.delete(view.dataId);
}

/** Byte offset of a tensor's data in the heap; undefined when the tensor has no data on this backend. */
export function wasmHeapOffset(backend: object, t: TensorInfo): number | undefined {
  // get() of an unknown id asks the engine to move data from another backend: ask has() first.
  const map = priv(backend).dataIdMap;
  const data = map.has(t.dataId) ? map.get(t.dataId) : undefined;
  return data && typeof data.memoryOffset === 'number' ? data.memoryOffset : undefined;
}

/** The heap's current buffer. Growing memory replaces it (offsets stay valid): fetch it after the last allocation. */
export function wasmHeap(backend: object): ArrayBufferLike {
  return priv(backend).wasm.HEAPU8.buffer;
}

/** A typed view of a tensor's data on the heap (valid until the next allocation). */
export function wasmHeapArray(backend: object, t: TensorInfo): HeapArray {
  return priv(backend).typedArrayFromHeap(t);
}

/** Bytes in the heap now (for memory reports), or undefined when `backend` is not wasm. */
export function wasmHeapBytes(backend: unknown): number | undefined {
  const heap = (backend as Partial<BackendWasmPrivate> | undefined)?.wasm?.HEAPU8;
  return heap instanceof Uint8Array ? heap.byteLength : undefined;
}

// cwrap'd C functions, per wasm module (a new backend instance brings a new module).
const cFunctions = new WeakMap<object, CFunction>();

/**
 * out = a · b for float32 2-D tensors a [rows, k], b [k, n], out [rows, n] (views allowed), through the C
 * BatchMatMul that the stock kernel calls only for plain 2-D operands (XNNPACK). Its argument list, as of 4.22.0:
 * (aId, aShapeBytes, aRank, bId, bShapeBytes, bRank, transposeA, transposeB, outId).
 */
export function wasmMatMul2d(backend: object, a: TensorInfo, bMat: TensorInfo, out: TensorInfo): void {
  const p = priv(backend);
  let call = cFunctions.get(p.wasm);
  if (!call) {
    call = p.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
    cFunctions.set(p.wasm, call);
  }
  const id = (t: TensorInfo) => p.dataIdMap.get(t.dataId)!.id;
  const shape3 = (t: TensorInfo) => new Uint8Array(new Int32Array([1, t.shape[0]!, t.shape[1]!]).buffer);
  call(id(a), shape3(a), 3, id(bMat), shape3(bMat), 3, false, false, id(out));
}
