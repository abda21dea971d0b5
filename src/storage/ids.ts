/** A random id for stored records (not for anything that must be reproducible). */
export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
