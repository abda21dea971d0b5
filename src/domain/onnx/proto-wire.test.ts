import { describe, expect, it } from 'vitest';
import { ProtoDecodeError, ProtoReader, ProtoWriter, readPackedFloats, readPackedVarints, toInt64, WireType } from './proto-wire';

const bytesOf = (w: ProtoWriter) => Array.from(w.finish());

describe('ProtoWriter varints', () => {
  it('encodes the protobuf documentation examples', () => {
    expect(bytesOf(new ProtoWriter().varint(0))).toEqual([0]);
    expect(bytesOf(new ProtoWriter().varint(1))).toEqual([1]);
    expect(bytesOf(new ProtoWriter().varint(127))).toEqual([0x7f]);
    expect(bytesOf(new ProtoWriter().varint(128))).toEqual([0x80, 0x01]);
    expect(bytesOf(new ProtoWriter().varint(300))).toEqual([0xac, 0x02]);
    expect(bytesOf(new ProtoWriter().varint(150n))).toEqual([0x96, 0x01]);
  });

  it('writes negatives as 10-byte two-complement varints', () => {
    expect(bytesOf(new ProtoWriter().varint(-1))).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytesOf(new ProtoWriter().varint(-2n))).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('round-trips large and negative values through the reader', () => {
    const values = [0, 1, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, -1, -123456789012];
    const w = new ProtoWriter(1);
    values.forEach((v, i) => w.int(i + 1, v));
    const got = [...new ProtoReader(w.finish()).fields()].map((f) => {
      expect(f.wireType).toBe(WireType.varint);
      return toInt64((f as { value: bigint }).value);
    });
    expect(got).toEqual(values);
  });

  it('rejects non-integers and bad field numbers', () => {
    expect(() => new ProtoWriter().varint(1.5)).toThrow(RangeError);
    expect(() => new ProtoWriter().tag(0, WireType.varint)).toThrow(RangeError);
  });
});

describe('ProtoWriter fields', () => {
  it('writes a tag, a string and a nested message as protoc would', () => {
    // message Test2 { string b = 2; } with b = "testing" -> 12 07 74 65 73 74 69 6e 67
    expect(bytesOf(new ProtoWriter().string(2, 'testing'))).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    // message Test3 { Test1 c = 3; } with c.a = 150 -> 1a 03 08 96 01
    expect(bytesOf(new ProtoWriter().message(3, (m) => m.int(1, 150)))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('writes floats little-endian and packs repeated scalars', () => {
    const w = new ProtoWriter().float(1, 1.5).packedVarints(2, [3, 270, 86942]).packedFloats(3, [0.25, -2]);
    const fields = [...new ProtoReader(w.finish()).fields()];
    expect(fields.map((f) => [f.field, f.wireType])).toEqual([
      [1, WireType.fixed32],
      [2, WireType.lengthDelimited],
      [3, WireType.lengthDelimited],
    ]);
    expect(readPackedFloats(fields[0]!)).toEqual([1.5]);
    // protobuf docs: packed [3, 270, 86942] -> 06 03 8e 02 9e a7 05
    expect(Array.from((fields[1] as { bytes: Uint8Array }).bytes)).toEqual([0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    expect(readPackedVarints(fields[1]!)).toEqual([3, 270, 86942]);
    expect(readPackedFloats(fields[2]!)).toEqual([0.25, -2]);
  });

  it('grows its buffer past the initial capacity', () => {
    const big = new Uint8Array(10_000).map((_, i) => i % 251);
    const w = new ProtoWriter(16).bytes(9, big);
    const f = new ProtoReader(w.finish()).next();
    expect(f?.field).toBe(9);
    expect((f as { bytes: Uint8Array }).bytes).toEqual(big);
  });
});

describe('ProtoReader errors', () => {
  it('reports truncated data and unsupported wire types', () => {
    const full = new ProtoWriter().string(1, 'hello').finish();
    expect(() => [...new ProtoReader(full.subarray(0, 4)).fields()]).toThrow(ProtoDecodeError);
    expect(() => [...new ProtoReader(new Uint8Array([0x0b])).fields()]).toThrow(/wire type 3/);
    expect(() => [...new ProtoReader(new Uint8Array([0x08, 0x80])).fields()]).toThrow(/unexpected end/);
  });
});
