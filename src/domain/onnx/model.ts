// ONNX model description (plain data) and its encoder to ModelProto bytes.
// Field numbers follow onnx.proto (onnx/onnx, IR version 8 era); only what small hand-built models need:
// nodes with attributes, initializers (stored as raw_data), typed inputs/outputs with fixed or symbolic
// dims, opset imports and metadata_props.
import { ProtoWriter } from './proto-wire';

/** Tensor element types this writer can store (ONNX TensorProto.DataType). */
export type ElemType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** TensorProto.DataType codes. */
export const ONNX_DATA_TYPE: Readonly<Record<ElemType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
};

/** One dimension: a fixed size, or a symbolic name such as 'N' (dim_param). */
export type Dim = number | string;

export type TensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Int8Array
  | readonly number[]
  | readonly bigint[]
  | readonly boolean[];

export interface TensorSpec {
  name: string;
  type: ElemType;
  dims: readonly number[];
  /** Row-major values; length must equal the product of dims (1 for a scalar). */
  data: TensorData;
}

export interface ValueInfoSpec {
  name: string;
  type: ElemType;
  /** null: rank unknown (no shape written). */
  shape: readonly Dim[] | null;
}

export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number | bigint }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorSpec }
  | { kind: 'graph'; value: GraphSpec }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'ints'; value: readonly (number | bigint)[] }
  | { kind: 'strings'; value: readonly string[] };

/** Typed attribute constructors (ONNX distinguishes int from float attributes, JS numbers do not). */
export const attr = {
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  int: (value: number | bigint): AttributeValue => ({ kind: 'int', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  tensor: (value: TensorSpec): AttributeValue => ({ kind: 'tensor', value }),
  graph: (value: GraphSpec): AttributeValue => ({ kind: 'graph', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  ints: (value: readonly (number | bigint)[]): AttributeValue => ({ kind: 'ints', value }),
  strings: (value: readonly string[]): AttributeValue => ({ kind: 'strings', value }),
} as const;

export interface NodeSpec {
  opType: string;
  /** Input value names; '' marks an omitted optional input. */
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Operator domain; '' (default) is the standard ai.onnx domain. */
  domain?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
  docString?: string;
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
  valueInfo?: readonly ValueInfoSpec[];
  docString?: string;
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface ModelSpec {
  graph: GraphSpec;
  /** Default 8 (loads in onnxruntime-web 1.30). */
  irVersion?: number;
  /** Default [{ domain: '', version: 13 }]. */
  opsetImports?: readonly OpsetImport[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  /** ModelProto.metadata_props, written in key order as given. */
  metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_IR_VERSION = 8;
export const DEFAULT_OPSET = 13;

// onnx.proto field numbers.
const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  domain: 4,
  modelVersion: 5,
  docString: 6,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
} as const;
const OPSET = { domain: 1, version: 2 } as const;
const ENTRY = { key: 1, value: 2 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;
const ATTR = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, floats: 7, ints: 8, strings: 9, type: 20 } as const;
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIM = { value: 1, param: 2 } as const;

/** Encodes a model description as ONNX ModelProto bytes. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const w = new ProtoWriter(4096);
  w.int(MODEL.irVersion, spec.irVersion ?? DEFAULT_IR_VERSION);
  if (spec.producerName) w.string(MODEL.producerName, spec.producerName);
  if (spec.producerVersion) w.string(MODEL.producerVersion, spec.producerVersion);
  if (spec.domain) w.string(MODEL.domain, spec.domain);
  if (spec.modelVersion !== undefined) w.int(MODEL.modelVersion, spec.modelVersion);
  if (spec.docString) w.string(MODEL.docString, spec.docString);
  w.message(MODEL.graph, (g) => writeGraph(g, spec.graph));
  for (const op of spec.opsetImports ?? [{ domain: '', version: DEFAULT_OPSET }]) {
    w.message(MODEL.opsetImport, (o) => {
      if (op.domain) o.string(OPSET.domain, op.domain);
      o.int(OPSET.version, op.version);
    });
  }
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    w.message(MODEL.metadataProps, (e) => e.string(ENTRY.key, key).string(ENTRY.value, value));
  }
  return w.finish();
}

function writeGraph(w: ProtoWriter, g: GraphSpec): void {
  for (const node of g.nodes) w.message(GRAPH.node, (n) => writeNode(n, node));
  w.string(GRAPH.name, g.name);
  for (const t of g.initializers) w.message(GRAPH.initializer, (m) => writeTensor(m, t));
  if (g.docString) w.string(GRAPH.docString, g.docString);
  for (const v of g.inputs) w.message(GRAPH.input, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.message(GRAPH.output, (m) => writeValueInfo(m, v));
  for (const v of g.valueInfo ?? []) w.message(GRAPH.valueInfo, (m) => writeValueInfo(m, v));
}

function writeNode(w: ProtoWriter, n: NodeSpec): void {
  for (const i of n.inputs) w.string(NODE.input, i);
  for (const o of n.outputs) w.string(NODE.output, o);
  if (n.name) w.string(NODE.name, n.name);
  w.string(NODE.opType, n.opType);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(NODE.attribute, (m) => writeAttribute(m, name, a));
  if (n.docString) w.string(NODE.docString, n.docString);
  if (n.domain) w.string(NODE.domain, n.domain);
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(ATTR.name, name);
  switch (a.kind) {
    case 'float':
      w.float(ATTR.f, a.value);
      break;
    case 'int':
      w.int(ATTR.i, a.value);
      break;
    case 'string':
      w.string(ATTR.s, a.value);
      break;
    case 'tensor':
      w.message(ATTR.t, (m) => writeTensor(m, a.value));
      break;
    case 'graph':
      w.message(ATTR.g, (m) => writeGraph(m, a.value));
      break;
    // onnx.proto is proto2 and does not mark these [packed]: write one field per value, as onnx does.
    case 'floats':
      for (const f of a.value) w.float(ATTR.floats, f);
      break;
    case 'ints':
      for (const i of a.value) w.int(ATTR.ints, i);
      break;
    case 'strings':
      for (const s of a.value) w.string(ATTR.strings, s);
      break;
  }
  w.int(ATTR.type, ATTR_TYPE[a.kind]);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoSpec): void {
  w.string(VALUE_INFO.name, v.name);
  w.message(VALUE_INFO.type, (t) =>
    t.message(TYPE.tensorType, (tt) => {
      tt.int(TENSOR_TYPE.elemType, ONNX_DATA_TYPE[v.type]);
      if (v.shape) {
        const shape = v.shape;
        tt.message(TENSOR_TYPE.shape, (s) => {
          for (const d of shape) {
            s.message(SHAPE.dim, (dm) => {
              if (typeof d === 'string') dm.string(DIM.param, d);
              else dm.int(DIM.value, checkDim(d, v.name));
            });
          }
        });
      }
    }),
  );
}

function checkDim(d: number, where: string): number {
  if (!Number.isInteger(d) || d < 0) throw new RangeError(`${where}: dimension ${d} is not a non-negative integer`);
  return d;
}

function writeTensor(w: ProtoWriter, t: TensorSpec): void {
  for (const d of t.dims) w.int(TENSOR.dims, checkDim(d, t.name));
  w.int(TENSOR.dataType, ONNX_DATA_TYPE[t.type]);
  if (t.name) w.string(TENSOR.name, t.name);
  w.bytes(TENSOR.rawData, tensorRawData(t));
}

/** Little-endian raw_data bytes of a tensor (checks the value count against dims). */
export function tensorRawData(t: TensorSpec): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) {
    throw new RangeError(`tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(', ')}] (${count} expected)`);
  }
  const size = { float32: 4, float64: 8, int8: 1, uint8: 1, int32: 4, int64: 8, bool: 1 }[t.type];
  const out = new Uint8Array(count * size);
  const dv = new DataView(out.buffer);
  const data = t.data as ArrayLike<number | bigint | boolean>;
  for (let i = 0; i < count; i++) {
    const v = data[i] as number | bigint | boolean;
    switch (t.type) {
      case 'float32':
        dv.setFloat32(i * 4, Number(v), true);
        break;
      case 'float64':
        dv.setFloat64(i * 8, Number(v), true);
        break;
      case 'int8':
        dv.setInt8(i, intOf(v, t.name));
        break;
      case 'uint8':
        dv.setUint8(i, intOf(v, t.name));
        break;
      case 'bool':
        dv.setUint8(i, v ? 1 : 0);
        break;
      case 'int32':
        dv.setInt32(i * 4, intOf(v, t.name), true);
        break;
      case 'int64':
        dv.setBigInt64(i * 8, typeof v === 'bigint' ? v : BigInt(intOf(v, t.name)), true);
        break;
    }
  }
  return out;
}

function intOf(v: number | bigint | boolean, name: string): number {
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  if (!Number.isInteger(n)) throw new RangeError(`tensor ${name}: ${String(v)} is not an integer`);
  return n;
}

/** A float32 tensor (initializer or constant). */
export function float32Tensor(name: string, dims: readonly number[], data: ArrayLike<number>): TensorSpec {
  return { name, type: 'float32', dims, data: data instanceof Float32Array ? data : Float32Array.from(data) };
}

/** An int64 tensor (shapes, axes, indices). */
export function int64Tensor(name: string, dims: readonly number[], data: ArrayLike<number | bigint>): TensorSpec {
  return { name, type: 'int64', dims, data: data instanceof BigInt64Array ? data : BigInt64Array.from(Array.from(data, (v) => BigInt(v))) };
}
