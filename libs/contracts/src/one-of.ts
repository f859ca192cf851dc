/**
 * The guard of a fixed list of names: `isOneOf(list)(value)` is true when the list holds the
 * value, and narrows it to the list's union (give the list `as const` or a union's type).
 */
export const isOneOf =
  <const T extends string>(list: readonly T[]) =>
  (value: string): value is T =>
    (list as readonly string[]).includes(value);
