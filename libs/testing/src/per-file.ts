// Called from test files only, where jest provides these hooks as globals.
/// <reference types="jest" />

/**
 * What one test file works on (a schema, a client…): `open` runs before the file's first test and
 * `close` after its last. The object returned stands for it; read its members inside tests and
 * hooks, where they exist.
 */
export function openedPerFile<T extends object>(
  open: () => Promise<T>,
  close: (opened: T) => Promise<void>,
): T {
  let opened: T | undefined;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    if (opened !== undefined) await close(opened);
  });
  return new Proxy({} as T, {
    get(_, member) {
      if (opened === undefined) throw new Error('opened in beforeAll: read it in tests and hooks');
      return Reflect.get(opened, member, opened) as unknown;
    },
  });
}
