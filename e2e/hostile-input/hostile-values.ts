import fc from 'fast-check';

/** JSON text put into a body as is: numbers JSON.stringify cannot write, broken fragments. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object as an ordered list of entries: keys may repeat, `__proto__` is just a key. */
export class Entries {
  constructor(readonly entries: [string, Json][]) {}
}

export type Json =
  null | boolean | number | string | RawJson | Entries | Json[] | { [key: string]: Json };

/** JSON text of `value`; RawJson is written verbatim, Entries with every entry. */
export function jsonText(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof Entries) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  }
  // JSON.stringify writes a lone surrogate as \udxxx, which JSON.parse reads back as one.
  return JSON.stringify(value);
}

/** Test cards only (never a real number); 4000000000000309 is left out: it answers 500 on purpose. */
export const TEST_CARDS = [
  '4242424242424242',
  '4000000000000002',
  '4000000000009995',
  '4000000000000069',
  '4000000000000127',
  '4000000000000119',
  '5555555555554444',
  '2223003122003222',
  '6011111111111117',
  '3566002020360505',
] as const;
export const AMEX_TEST_CARD = '378282246310005';
export const ALL_TEST_CARDS: readonly string[] = [...TEST_CARDS, AMEX_TEST_CARD];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings that have broken parsers, loggers and databases before. */
const NOTORIOUS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00',
  '\uDBFF\uDFFF',
  '\u202Egnp.exe',
  '\u200F\u200E\u200B',
  'مرحبا بالعالم',
  'שלום עולם',
  '👩‍👩‍👧‍👦🏳️‍🌈🇺🇳',
  'Z̵̡̛̳̝̈́̓ă̸̬̱l̷͉̈́g̴̱̈o̵̳͐',
  '\uFEFFbom',
  '\uFFFF\uFFFE',
  '\t\r\n\v\f',
  '\\',
  '"',
  "'; DROP TABLE payments; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '-0',
  '1e309',
  'true',
  '[]',
  '{}',
  'ｆｕｌｌｗｉｄｔｈ＠ｅｘａｍｐｌｅ．ｃｏｍ',
  'a@b',
  'a@b.c\u0000',
  'İıſK',
];

/** A string meant to hurt: notorious ones, random unicode, lone surrogates, long repeats. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NOTORIOUS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.string({ maxLength: 10 }))
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', 'é', '𝕏', '\u0000', ' ', '9'),
        fc.integer({ min: 41, max: 20_000 }),
      )
      .map(([char, n]) => char.repeat(n)),
  },
);

/** Nesting `depth` deep, as arrays or as objects. */
export const nested = (depth: number, asObjects: boolean): RawJson =>
  new RawJson(
    asObjects
      ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
      : '['.repeat(depth) + ']'.repeat(depth),
  );

/** Numbers at and past every edge a parser or a column has. */
export const extremeNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    0,
    -1,
    1.5,
    0.1,
    -0.0000001,
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    99_999_999,
    100_000_000,
    new RawJson('1e400'),
    new RawJson('-1e400'),
    new RawJson('-0'),
    new RawJson('1.0'),
    new RawJson('1e2'),
    new RawJson('9007199254740993'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('0.' + '0'.repeat(400) + '1'),
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Values of every JSON type, for a field that expects another. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: extremeNumber },
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [1, 'a'], { a: 1 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 2, max: 3000 })
      .chain((d) => fc.boolean().map((o) => nested(d, o))),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => new Array<Json>(n).fill(0)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);

/** Keys that poison prototypes or confuse lookups. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
    ' ',
    'amount.value',
    'x'.repeat(300),
    '\u0000',
    '\uD800',
    'ÿ',
    'extra',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Parsed value of a value as the server sees it, for judging validity. */
export function parsedOf(value: Json): unknown {
  try {
    return JSON.parse(jsonText(value)) as unknown;
  } catch {
    return undefined;
  }
}

export const hasNul = (text: string): boolean => text.includes('\u0000');

export const hasLoneSurrogate = (text: string): boolean =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** Whether text holds one of the test card numbers (the only ones these tests send). */
export const hasTestCard = (text: string): boolean =>
  ALL_TEST_CARDS.some((card) => text.includes(card));
