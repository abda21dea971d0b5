// A minimal protobuf wire-format writer and reader: exactly what ONNX ModelProto needs (varints,
// little-endian 32/64-bit scalars, length-delimited fields, packed repeated scalars). No schema, no
// reflection, no dependencies, so it runs the same in the page, in workers and in Node.
import { HyperError } from '../errors';

/** Protobuf wire types (groups, 3 and 4, are deprecated and not supported). */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** Malformed protobuf or ONNX bytes. */
export class ProtoDecodeError extends HyperError<'bad-protobuf'> {
  override readonly name = 'ProtoDecodeError';
  constructor(message: string) {
    super('bad-protobuf', message);
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Appends protobuf fields to a growing buffer. */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Raw varint. Negative values are written as 64-bit two's complement (10 bytes), as protobuf does for int32/int64. */
  varint(value: number | bigint): this {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw new RangeError(`varint needs an integer, got ${value}`);
      if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
        this.ensure(8);
        let v = value;
        while (v >= 0x80) {
          this.buf[this.len++] = (v % 0x80) | 0x80;
          v = Math.floor(v / 0x80);
        }
        this.buf[this.len++] = v;
        return this;
      }
      value = BigInt(value);
    }
    let v = BigInt.asUintN(64, value);
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  tag(field: number, wireType: WireType): this {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`bad field number ${field}`);
    return this.varint(field * 8 + wireType);
  }

  /** int32/int64/uint64/enum/bool field. */
  int(field: number, value: number | bigint | boolean): this {
    return this.tag(field, WireType.varint).varint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.fixed32);
    this.ensure(4);
    this.view.setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, WireType.fixed64);
    this.ensure(8);
    this.view.setFloat64(this.len, value, true);
    this.len += 8;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.lengthDelimited).varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8Encoder.encode(value));
  }

  /** Embedded message: the callback writes the sub-message's fields. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const sub = new ProtoWriter();
    write(sub);
    return this.bytes(field, sub.view8());
  }

  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const sub = new ProtoWriter(values.length * 2);
    for (const v of values) sub.varint(v);
    return this.bytes(field, sub.view8());
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const body = new Uint8Array(values.length * 4);
    const dv = new DataView(body.buffer);
    for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i] as number, true);
    return this.bytes(field, body);
  }

  /** The bytes written so far, without copying (valid until the next write). */
  private view8(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** One field as read off the wire; `bytes` views the input (no copy) for length-delimited fields. */
export type ProtoField =
  | { field: number; wireType: typeof WireType.varint; value: bigint }
  | { field: number; wireType: typeof WireType.fixed64; bytes: Uint8Array }
  | { field: number; wireType: typeof WireType.lengthDelimited; bytes: Uint8Array }
  | { field: number; wireType: typeof WireType.fixed32; bytes: Uint8Array };

/** Reads protobuf fields sequentially from a byte range. */
export class ProtoReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Raw varint as an unsigned 64-bit bigint. */
  varintBig(): bigint {
    let lo = 0; // first 28 bits, kept as a number for speed
    let shift = 0;
    while (shift < 28) {
      const b = this.byte();
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return BigInt(lo >>> 0);
      shift += 7;
    }
    let result = BigInt(lo >>> 0);
    let bigShift = 28n;
    for (let i = 0; i < 6; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << bigShift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      bigShift += 7n;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }

  /** Varint as a JS number (lengths, small ints). Throws beyond 2^53. */
  varint(): number {
    const v = this.varintBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtoDecodeError(`varint ${v} exceeds 2^53`);
    return Number(v);
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtoDecodeError('unexpected end of protobuf data');
    return this.buf[this.pos++] as number;
  }

  private take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) throw new ProtoDecodeError(`field of ${n} bytes runs past the end of its message`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next field, or null at the end. */
  next(): ProtoField | null {
    if (this.done) return null;
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new ProtoDecodeError('field number 0');
    switch (wireType) {
      case WireType.varint:
        return { field, wireType, value: this.varintBig() };
      case WireType.fixed64:
        return { field, wireType, bytes: this.take(8) };
      case WireType.lengthDelimited:
        return { field, wireType, bytes: this.take(this.varint()) };
      case WireType.fixed32:
        return { field, wireType, bytes: this.take(4) };
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType} (field ${field})`);
    }
  }

  *fields(): Generator<ProtoField> {
    for (let f = this.next(); f; f = this.next()) yield f;
  }
}

/** Decodes UTF-8 (invalid sequences become U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Signed 64-bit value of a varint field, as a number when safe and a bigint otherwise. */
export function toInt64(v: bigint): number | bigint {
  const s = BigInt.asIntN(64, v);
  return s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s;
}

/** Unpacks a packed (or single, non-packed) repeated varint field into signed 64-bit values. */
export function readPackedVarints(f: ProtoField): (number | bigint)[] {
  if (f.wireType === WireType.varint) return [toInt64(f.value)];
  if (f.wireType !== WireType.lengthDelimited) throw new ProtoDecodeError(`field ${f.field}: expected varints`);
  const r = new ProtoReader(f.bytes);
  const out: (number | bigint)[] = [];
  while (!r.done) out.push(toInt64(r.varintBig()));
  return out;
}

/** Unpacks a packed (or single) repeated float field. */
export function readPackedFloats(f: ProtoField): number[] {
  if (f.wireType === WireType.varint) throw new ProtoDecodeError(`field ${f.field}: expected floats`);
  const dv = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= f.bytes.length; i += 4) out.push(dv.getFloat32(i, true));
  return out;
}
