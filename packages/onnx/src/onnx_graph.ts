import { AttributeType, DataType, type AttributeProto, type DataTypeCode, type Dimension, type NodeProto, type TensorProto, type ValueInfoProto, type GraphProto } from './onnx_proto';
import { OnnxExportError } from './onnx_errors';

/** An attribute value with its ONNX type said explicitly (epsilon 1 is a float, axis 1 an int). */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string }
  | { tensor: TensorProto };

export const int = (v: number): AttributeValue => ({ int: v });
export const float = (v: number): AttributeValue => ({ float: v });
export const ints = (v: readonly number[]): AttributeValue => ({ ints: v });

export type ElementType = 'float32' | 'int64' | 'bool';
/** A dimension of a graph input or output: a size, or a name for a dynamic axis (`batch_size`). */
export type Dim = number | string;

const ELEMENT_TYPE: Record<ElementType, DataTypeCode> = { float32: DataType.FLOAT, int64: DataType.INT64, bool: DataType.BOOL };

function attributeProto(name: string, v: AttributeValue): AttributeProto {
  if ('int' in v) return { name, type: AttributeType.INT, i: v.int };
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
  if ('ints' in v) return { name, type: AttributeType.INTS, ints: [...v.ints] };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: [...v.floats] };
  if ('string' in v) return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v.string) };
  return { name, type: AttributeType.TENSOR, t: v.tensor };
}

function bytesOf(data: Float32Array | BigInt64Array | Int8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): ValueInfoProto {
  const dim: Dimension[] = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: ELEMENT_TYPE[type], shape: { dim } } } };
}

/**
 * An ONNX graph being built: tensors are named by strings, as in ONNX itself. Ops get unique node names from a
 * scope (`bert.encoder.layer.0/MatMul_3`), weights become initializers under their checkpoint keys, and small
 * constants (shapes, axes, scalars) are shared initializers.
 */
export class OnnxGraph {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers = new Map<string, TensorProto>();
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private scopes: string[] = [];

  /**
   * @param quantize 'int8': the linear layers' weights are stored as int8 with a float scale per output column,
   * and their MatMuls become DynamicQuantizeLinear + MatMulInteger (onnxruntime's dynamic quantization).
   */
  constructor(
    readonly name: string,
    readonly quantize?: 'int8',
  ) {}

  /** A fresh tensor or node name with `hint`, unique in the graph. */
  uniqueName(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Runs `body` with node names under `scope` (a checkpoint prefix, say). */
  scope<T>(scope: string, body: () => T): T {
    this.scopes.push(scope);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  /** Declares a graph input. */
  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    if (this.used.has(name)) throw new OnnxExportError(`ONNX graph input "${name}" is declared twice.`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Makes `tensor` a graph output called `name` (the node producing it writes `name` instead). */
  output(name: string, tensor: string, type: ElementType, dims: readonly Dim[]): void {
    if (name !== tensor) {
      if (this.used.has(name)) throw new OnnxExportError(`ONNX graph output "${name}" clashes with a tensor of that name.`);
      const producer = this.nodes.find((n) => n.output.includes(tensor));
      if (!producer) throw new OnnxExportError(`ONNX graph output "${name}": no node produces "${tensor}".`);
      this.used.add(name);
      for (const n of this.nodes) {
        n.output = n.output.map((o) => (o === tensor ? name : o));
        n.input = n.input.map((i) => (i === tensor ? name : i));
      }
    }
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A float32 weight as an initializer named `name` (a checkpoint key). */
  initializer(name: string, data: Float32Array, dims: readonly number[]): string {
    if (this.initializers.has(name)) return name;
    if (this.used.has(name)) throw new OnnxExportError(`ONNX initializer "${name}" clashes with a tensor of that name.`);
    this.used.add(name);
    this.initializers.set(name, { name, dims: [...dims], data_type: DataType.FLOAT, raw_data: bytesOf(data) });
    return name;
  }

  /** An int8 weight (quantized) as an initializer. */
  int8Initializer(name: string, data: Int8Array, dims: readonly number[]): string {
    if (this.initializers.has(name)) return name;
    if (this.used.has(name)) throw new OnnxExportError(`ONNX initializer "${name}" clashes with a tensor of that name.`);
    this.used.add(name);
    this.initializers.set(name, { name, dims: [...dims], data_type: DataType.INT8, raw_data: bytesOf(data) });
    return name;
  }

  hasInitializer(name: string): boolean {
    return this.initializers.has(name);
  }

  /** An int64 constant (a shape, axes, an index), shared by every op that needs the same values. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.uniqueName(`const_i64_${values.join('_').replace(/-/g, 'm')}`.slice(0, 60));
      const data = BigInt64Array.from(values.map((v) => BigInt(v)));
      this.initializers.set(name, { name, dims: [...dims], data_type: DataType.INT64, raw_data: bytesOf(data) });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.uniqueName(`const_f32_${String(value).replace(/[^0-9a-z]/gi, '_')}`);
      this.initializers.set(name, { name, dims: [], data_type: DataType.FLOAT, raw_data: bytesOf(Float32Array.of(value)) });
      this.constants.set(key, name);
    }
    return name;
  }

  /** Adds a node; returns its output tensors' names (one unless `outputs` says more). */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttributeValue> = {}, outputs = 1): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.used.has(i)) throw new OnnxExportError(`ONNX ${opType}: input "${i}" is not a tensor of this graph.`);
    }
    const prefix = this.scopes.length ? `${this.scopes.join('/')}/` : '';
    const name = this.uniqueName(`${prefix}${opType}`);
    const out = Array.from({ length: outputs }, (_, k) => this.uniqueName(`${name}_output_${k}`));
    this.nodes.push({
      name,
      op_type: opType,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
    });
    return out;
  }

  /** op() for the common single-output case. */
  op1(opType: string, inputs: readonly string[], attrs: Record<string, AttributeValue> = {}): string {
    return this.op(opType, inputs, attrs, 1)[0]!;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The op types used, for tests that check only standard ops appear. */
  opTypes(): Set<string> {
    return new Set(this.nodes.map((n) => n.op_type));
  }

  toProto(docString?: string): GraphProto {
    if (!this.outputs.length) throw new OnnxExportError(`ONNX graph "${this.name}" has no outputs.`);
    return {
      name: this.name,
      node: this.nodes,
      initializer: [...this.initializers.values()],
      input: this.inputs,
      output: this.outputs,
      ...(docString ? { doc_string: docString } : {}),
    };
  }
}
