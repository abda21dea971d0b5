// JSON that keeps what the app stores in IndexedDB exactly: typed arrays (tag bits, gains, score columns with
// NaN) travel as base64 of their bytes, and undefined-valued keys are dropped as JSON drops them.

const TYPED = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

const MARK = '$typed';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function typedName(v: unknown): TypedName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return null;
}

/** JSON text of a value, typed arrays included. */
export function stringifyTyped(value: unknown): string {
  return JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown) {
    // JSON.stringify hands typed arrays to the replacer as themselves (they have no toJSON).
    const raw = (this as Record<string, unknown>)[key];
    const name = typedName(raw);
    if (name) {
      const t = raw as ArrayBufferView;
      return { [MARK]: name, base64: toBase64(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)) };
    }
    return v;
  });
}

/** The value of stringifyTyped's text. */
export function parseTyped<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && MARK in v) {
      const { [MARK]: name, base64 } = v as { [MARK]: unknown; base64: unknown };
      if (typeof name !== 'string' || !(name in TYPED) || typeof base64 !== 'string')
        throw new Error(`bad typed array in backup: ${JSON.stringify(name)}`);
      const bytes = fromBase64(base64);
      const Ctor = TYPED[name as TypedName];
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      return new Ctor(copy.buffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  }) as T;
}
