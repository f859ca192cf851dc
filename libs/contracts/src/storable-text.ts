// A string Postgres and other stores cannot keep: a NUL character or a UTF-16 surrogate without
// its pair (JSON allows both, as \u0000 and \ud800).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The dotted path of the first key or string value that cannot be stored, if any. */
export function unstorableTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path === '' ? key : `${path}.${key}`;
    if (UNSTORABLE.test(key)) return itemPath;
    const found = unstorableTextAt(item, itemPath);
    if (found !== undefined) return found;
  }
  return undefined;
}
