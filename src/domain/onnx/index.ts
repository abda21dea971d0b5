// Dependency-free ONNX ModelProto writer and reader (no onnxruntime import: sessions are created elsewhere).
export { ProtoDecodeError, ProtoReader, ProtoWriter, WireType } from './proto-wire';
export type { ProtoField } from './proto-wire';
export { attr, DEFAULT_IR_VERSION, DEFAULT_OPSET, encodeModel, float32Tensor, int64Tensor, ONNX_DATA_TYPE, tensorRawData } from './model';
export type {
  AttributeValue,
  Dim,
  ElemType,
  GraphSpec,
  ModelSpec,
  NodeSpec,
  OpsetImport,
  TensorData,
  TensorSpec,
  ValueInfoSpec,
} from './model';
export { GraphBuilder } from './graph-builder';
export type { NodeOptions } from './graph-builder';
export { dataTypeName, readMetadataProps, readModelSummary } from './reader';
export type { InitializerSummary, ModelSummary, NodeSummary, ValueInfoSummary } from './reader';
