// Assigning obj[key] with a key read from a file is unsafe for "__proto__": it would replace the prototype
// instead of adding a field. Files can hold that key (a CSV header, a JSON property), so set it as data.

/** Sets an own, enumerable data property, also for the key "__proto__". */
export function setOwnField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
