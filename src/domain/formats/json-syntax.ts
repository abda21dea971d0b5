// Engine-independent descriptions of JSON syntax errors. JSON.parse messages differ between V8, SpiderMonkey
// and JavaScriptCore and often carry no position, so after a failed parse we re-scan the text with a small
// validator that reports where and why it stopped. It only runs on the failure path.

export interface JsonSyntaxError {
  /** 0-based UTF-16 offset of the offending character (text.length for an unexpected end). */
  position: number;
  message: string;
}

const enum Ctx {
  ArrayStart, // after '[': a value or ']'
  ArrayNext, // after a value in an array: ',' or ']'
  ObjectStart, // after '{': a key or '}'
  ObjectKey, // after ',' in an object: a key
  ObjectColon, // after a key: ':'
  ObjectNext, // after a value in an object: ',' or '}'
}

/** Finds the first syntax error in a JSON text; null when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  const stack: Ctx[] = [];
  let i = skipWs(text, 0);
  let expectValue = true;

  const fail = (position: number, message: string): JsonSyntaxError => ({ position, message });
  const unexpected = (position: number, what: string): JsonSyntaxError =>
    position >= n
      ? fail(n, `unexpected end of input, expected ${what}`)
      : fail(position, `unexpected ${show(text, position)}, expected ${what}`);

  for (;;) {
    if (expectValue) {
      if (i >= n) return unexpected(i, 'a value');
      const c = text.charCodeAt(i);
      if (c === 0x7b /* { */) {
        stack.push(Ctx.ObjectStart);
        i = skipWs(text, i + 1);
        expectValue = false;
        continue;
      }
      if (c === 0x5b /* [ */) {
        stack.push(Ctx.ArrayStart);
        i = skipWs(text, i + 1);
        // An immediate ']' closes the empty array; handled below with expectValue false.
        expectValue = text.charCodeAt(i) !== 0x5d;
        if (!expectValue) {
          stack.pop();
          i = skipWs(text, i + 1);
          if (!afterValue()) return finish();
        }
        continue;
      }
      const end = scanScalar(text, i);
      if (typeof end !== 'number') return end;
      i = skipWs(text, end);
      expectValue = false;
      if (!afterValue()) return finish();
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return finish();
    if (top === Ctx.ObjectStart || top === Ctx.ObjectKey) {
      if (top === Ctx.ObjectStart && text.charCodeAt(i) === 0x7d /* } */) {
        stack.pop();
        i = skipWs(text, i + 1);
        if (!afterValue()) return finish();
        continue;
      }
      if (text.charCodeAt(i) !== 0x22 /* " */) {
        if (top === Ctx.ObjectKey && text.charCodeAt(i) === 0x7d) return fail(i, 'trailing comma before "}"');
        return unexpected(i, 'a property name in double quotes');
      }
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      stack[stack.length - 1] = Ctx.ObjectColon;
      i = skipWs(text, end);
      continue;
    }
    if (top === Ctx.ObjectColon) {
      if (text.charCodeAt(i) !== 0x3a /* : */) return unexpected(i, '":" after a property name');
      stack[stack.length - 1] = Ctx.ObjectNext;
      i = skipWs(text, i + 1);
      expectValue = true;
      continue;
    }
    // ArrayNext / ObjectNext: ',' or the closing bracket.
    const close = top === Ctx.ArrayNext ? 0x5d : 0x7d;
    const c = text.charCodeAt(i);
    if (c === 0x2c /* , */) {
      i = skipWs(text, i + 1);
      if (top === Ctx.ArrayNext) {
        if (text.charCodeAt(i) === 0x5d) return fail(i, 'trailing comma before "]"');
        expectValue = true;
      } else {
        stack[stack.length - 1] = Ctx.ObjectKey;
      }
      continue;
    }
    if (c === close) {
      stack.pop();
      i = skipWs(text, i + 1);
      if (!afterValue()) return finish();
      continue;
    }
    return unexpected(i, top === Ctx.ArrayNext ? '"," or "]" after an array element' : '"," or "}" after a property value');
  }

  // Moves the enclosing container on after a complete value; false when the top-level value is complete.
  function afterValue(): boolean {
    const top = stack[stack.length - 1];
    if (top === undefined) return false;
    if (top === Ctx.ArrayStart) stack[stack.length - 1] = Ctx.ArrayNext;
    expectValue = false;
    return true;
  }

  function finish(): JsonSyntaxError | null {
    return i < n ? fail(i, `unexpected ${show(text, i)} after the end of the JSON value`) : null;
  }
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text.charCodeAt(i);
  if (c === 0x22) return scanString(text, i);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return scanNumber(text, i);
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, i)) return i + word.length;
  }
  if (i >= text.length) return { position: i, message: 'unexpected end of input, expected a value' };
  return { position: i, message: `unexpected ${show(text, i)}, expected a value` };
}

function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c /* \ */) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { position: i, message: 'bad \\u escape in string' };
        i += 6;
        continue;
      }
      if (i + 1 >= n) break;
      if ('"\\/bfnrt'.includes(text[i + 1]!)) {
        i += 2;
        continue;
      }
      return { position: i, message: `bad escape "\\${text[i + 1]}" in string` };
    }
    if (c < 0x20) return { position: i, message: c === 0x0a ? 'line break inside a string' : 'control character inside a string' };
    i++;
  }
  return { position: start, message: 'unterminated string' };
}

function scanNumber(text: string, start: number): number | JsonSyntaxError {
  const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(start, start + 400));
  if (!m || m[0] === '-') return { position: start, message: 'invalid number' };
  const end = start + m[0].length;
  const next = text.charCodeAt(end);
  // "01", "1.", "1e" are errors: the number stops early and a digit, '.' or 'e' follows.
  if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
    return { position: start, message: 'invalid number' };
  }
  return end;
}

function show(text: string, i: number): string {
  const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
  if (ch === '\n') return 'line break';
  if (ch === '\r') return 'carriage return';
  if (ch === '\t') return 'tab';
  return `"${ch}"`;
}

/** 1-based line and column of a 0-based offset (lines end at '\n'). */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: position - lineStart + 1 };
}

/** Why JSON.parse failed on `text`, in engine-independent words, with the 0-based offset when known. */
export function describeJsonFailure(text: string, engineError: unknown): { position: number | null; message: string } {
  const found = findJsonSyntaxError(text);
  if (found) return found;
  // Valid by our scan but the engine refused it (nesting too deep, string too long): use its words.
  const message = engineError instanceof Error ? engineError.message : String(engineError);
  return { position: null, message: message.replace(/,\s*".*" is not valid JSON$/s, '') };
}

/** "an array", "a number", "null" ... for messages about values of the wrong kind. */
export function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}
