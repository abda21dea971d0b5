// Reads what onnxruntime-web does not expose from ONNX ModelProto bytes: metadata_props, and a summary of
// the model (opsets, producer, graph inputs/outputs with shapes, nodes, initializer shapes). It walks the
// protobuf wire format and skips everything else by length, so tensor payloads are never decoded and a
// several-hundred-MB model is read in milliseconds.
import { decodeUtf8, ProtoDecodeError, ProtoReader, readPackedVarints, toInt64, WireType, type ProtoField } from './proto-wire';

/** ONNX TensorProto.DataType code -> name (the reader reports any type, not only those the writer stores). */
const DATA_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

export function dataTypeName(code: number): string {
  return DATA_TYPE_NAMES[code] ?? `type${code}`;
}

export interface ValueInfoSummary {
  name: string;
  /** Element type name ('float32', 'int64', ...), or null when the value is not a tensor. */
  elemType: string | null;
  /** Dims: number, symbolic name, or null for an unnamed unknown dim; null when the rank is unknown. */
  shape: (number | string | null)[] | null;
}

export interface NodeSummary {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributeNames: string[];
}

export interface InitializerSummary {
  name: string;
  elemType: string;
  dims: number[];
}

export interface ModelSummary {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  graphName: string;
  inputs: ValueInfoSummary[];
  outputs: ValueInfoSummary[];
  nodes: NodeSummary[];
  initializers: InitializerSummary[];
  metadata: Record<string, string>;
}

function str(f: ProtoField): string {
  if (f.wireType !== WireType.lengthDelimited) throw new ProtoDecodeError(`field ${f.field}: expected a string`);
  return decodeUtf8(f.bytes);
}

function sub(f: ProtoField): ProtoReader {
  if (f.wireType !== WireType.lengthDelimited) throw new ProtoDecodeError(`field ${f.field}: expected a message`);
  return new ProtoReader(f.bytes);
}

function int(f: ProtoField): number {
  if (f.wireType !== WireType.varint) throw new ProtoDecodeError(`field ${f.field}: expected a varint`);
  const v = toInt64(f.value);
  return typeof v === 'bigint' ? Number(v) : v;
}

function readEntry(r: ProtoReader): [string, string] {
  let key = '';
  let value = '';
  for (const f of r.fields()) {
    if (f.field === 1) key = str(f);
    else if (f.field === 2) value = str(f);
  }
  return [key, value];
}

/** ModelProto.metadata_props (field 14) as a record; a repeated key keeps its last value. */
export function readMetadataProps(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 14) {
      const [k, v] = readEntry(sub(f));
      out[k] = v;
    }
  }
  return out;
}

function readValueInfo(r: ProtoReader): ValueInfoSummary {
  const info: ValueInfoSummary = { name: '', elemType: null, shape: null };
  for (const f of r.fields()) {
    if (f.field === 1) info.name = str(f);
    else if (f.field === 2) {
      for (const tf of sub(f).fields()) {
        if (tf.field !== 1) continue; // tensor_type only
        for (const tt of sub(tf).fields()) {
          if (tt.field === 1) info.elemType = dataTypeName(int(tt));
          else if (tt.field === 2) {
            const shape: (number | string | null)[] = [];
            for (const d of sub(tt).fields()) {
              if (d.field !== 1) continue;
              let dim: number | string | null = null;
              for (const df of sub(d).fields()) {
                if (df.field === 1) dim = int(df);
                else if (df.field === 2) dim = str(df);
              }
              shape.push(dim);
            }
            info.shape = shape;
          }
        }
      }
    }
  }
  return info;
}

function readNode(r: ProtoReader): NodeSummary {
  const n: NodeSummary = { opType: '', domain: '', name: '', inputs: [], outputs: [], attributeNames: [] };
  for (const f of r.fields()) {
    if (f.field === 1) n.inputs.push(str(f));
    else if (f.field === 2) n.outputs.push(str(f));
    else if (f.field === 3) n.name = str(f);
    else if (f.field === 4) n.opType = str(f);
    else if (f.field === 7) n.domain = str(f);
    else if (f.field === 5) {
      for (const af of sub(f).fields()) if (af.field === 1) n.attributeNames.push(str(af));
    }
  }
  return n;
}

function readInitializer(r: ProtoReader): InitializerSummary {
  const t: InitializerSummary = { name: '', elemType: 'type0', dims: [] };
  for (const f of r.fields()) {
    if (f.field === 1) t.dims.push(...readPackedVarints(f).map(Number));
    else if (f.field === 2) t.elemType = dataTypeName(int(f));
    else if (f.field === 8) t.name = str(f);
  }
  return t;
}

/** Decodes the parts of a ModelProto that describe its interface and structure (no tensor values). */
export function readModelSummary(bytes: Uint8Array): ModelSummary {
  const m: ModelSummary = {
    irVersion: 0,
    opsetImports: [],
    producerName: '',
    producerVersion: '',
    graphName: '',
    inputs: [],
    outputs: [],
    nodes: [],
    initializers: [],
    metadata: {},
  };
  let sawGraph = false;
  for (const f of new ProtoReader(bytes).fields()) {
    switch (f.field) {
      case 1:
        m.irVersion = int(f);
        break;
      case 2:
        m.producerName = str(f);
        break;
      case 3:
        m.producerVersion = str(f);
        break;
      case 7:
        sawGraph = true;
        for (const g of sub(f).fields()) {
          if (g.field === 1) m.nodes.push(readNode(sub(g)));
          else if (g.field === 2) m.graphName = str(g);
          else if (g.field === 5) m.initializers.push(readInitializer(sub(g)));
          else if (g.field === 11) m.inputs.push(readValueInfo(sub(g)));
          else if (g.field === 12) m.outputs.push(readValueInfo(sub(g)));
        }
        break;
      case 8: {
        let domain = '';
        let version = 0;
        for (const o of sub(f).fields()) {
          if (o.field === 1) domain = str(o);
          else if (o.field === 2) version = int(o);
        }
        m.opsetImports.push({ domain, version });
        break;
      }
      case 14: {
        const [k, v] = readEntry(sub(f));
        m.metadata[k] = v;
        break;
      }
    }
  }
  if (!sawGraph) throw new ProtoDecodeError('not an ONNX model: no graph (ModelProto field 7)');
  // Initializers listed as graph inputs (older exporters) are weights, not inputs the caller must feed.
  const weightNames = new Set(m.initializers.map((i) => i.name));
  m.inputs = m.inputs.filter((i) => !weightNames.has(i.name));
  return m;
}
