import fc from 'fast-check';
import {
  isNullable,
  textExampleOf,
  typeOf,
  type Operation,
  type QueryParam,
  type Schema,
} from './openapi-operations';
import {
  Entries,
  RawJson,
  TEST_CARDS,
  extremeNumber,
  hasLoneSurrogate,
  hasNul,
  hostileKey,
  hostileString,
  hostileValue,
  jsonText,
  parsedOf,
  type Json,
} from './hostile-values';
import { encodeSegment, type RawRequest } from './raw-http';

/** What one lane's requests may name: its merchant's resources and another merchant's. */
export interface LaneContext {
  apiKey: string;
  /** Ids of this merchant's resources, by prefix (`cust`, `pay`, `whk`, `whd`). */
  own: Record<string, string[]>;
  /** Ids of another merchant's resources, by prefix: always 404 here. */
  foreign: Record<string, string[]>;
  /** A webhook receiver that answers 200, the only URL a valid endpoint may have. */
  receiverUrl: string;
  bodyLimitBytes: number;
}

/**
 * One generated request and what the API must answer to it. `mustRefuse` holds the reasons the
 * request is invalid for certain (never a 2xx, nor a 402); without one, any documented answer is
 * fine.
 */
export interface HostileRequest {
  operation: string;
  request: RawRequest;
  mustRefuse: string[];
  /** Authenticates as the lane's merchant with its good key. */
  authenticated: boolean;
  /** The Idempotency-Key sent on a POST, when it has the documented format. */
  idempotencyKey: string | undefined;
  /** The Idempotency-Key is one an earlier request of this lane used. */
  reusedKey: boolean;
}

export const CARD_IN_TEXT = '4242 4242 4242 4242';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base62 = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...BASE62.split('')), minLength: min, maxLength: max });
const PREFIXES = ['cust', 'pay', 'pm', 're', 'evt', 'whk', 'whd', 'mer', 'key', 'req'];

// ── Bodies ───────────────────────────────────────────────────────────────────────────────────

type Path = (string | number)[];

/** A valid value for a field: the schema, and what a field of that name must hold. */
function validValue(schema: Schema, name: string, ctx: LaneContext): fc.Arbitrary<Json> {
  switch (name) {
    case 'email':
      return fc.tuple(base62(1, 12), fc.nat()).map(([a, n]) => `fz.${a}.${n}@example.com`);
    case 'url':
      return fc.constant(ctx.receiverUrl);
    case 'customer': {
      const ids = ctx.own.cust ?? [];
      return ids.length > 0 ? fc.constantFrom<Json>(null, ...ids) : fc.constant(null);
    }
    case 'number':
      return fc.constantFrom<Json>(...TEST_CARDS);
    case 'cvc':
      return fc.constantFrom('123', '999', '000');
    case 'exp_year':
      return fc.integer({ min: 2031, max: 2045 });
    case 'currency':
      return fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'GBP');
    case 'metadata':
      return fc.dictionary(base62(1, 40), fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), {
        maxKeys: 5,
      });
  }
  if (schema.enum !== undefined && schema.enum.length > 0) {
    if (typeOf(schema) === 'array') {
      return fc.subarray(schema.enum as Json[], { minLength: 1 });
    }
    return fc.constantFrom(...(schema.enum as Json[]));
  }
  switch (typeOf(schema) ?? 'unknown') {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      if (schema.items?.enum !== undefined) {
        return fc.subarray(schema.items.enum as Json[], { minLength: 1 });
      }
      return fc.array(validValue(schema.items ?? {}, name, ctx), { minLength: 1, maxLength: 3 });
    case 'object':
      return validObject(schema, ctx);
    case 'string':
    default: {
      const example = textExampleOf(schema);
      return example !== undefined
        ? fc.constant(example)
        : base62(1, Math.min(schema.maxLength ?? 20, 20));
    }
  }
}

function validObject(schema: Schema, ctx: LaneContext): fc.Arbitrary<Json> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(
    Object.entries(properties).map(([name, s]) => [name, validValue(s, name, ctx)]),
  );
  const requiredKeys = Object.keys(properties).filter((k) => required.has(k));
  return fc.record(fields, { requiredKeys });
}

/** Every node of a body with the schema it has there: where a mutation may land. */
function nodesOf(
  value: Json,
  schema: Schema | undefined,
  path: Path = [],
): [Path, Schema | undefined][] {
  const out: [Path, Schema | undefined][] = [[path, schema]];
  if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof RawJson) &&
    !(value instanceof Entries)
  ) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => out.push(...nodesOf(item, schema?.items, [...path, i])));
    } else {
      for (const [key, item] of Object.entries(value)) {
        out.push(...nodesOf(item, schema?.properties?.[key], [...path, key]));
      }
    }
  }
  return out;
}

function setAt(value: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const i = head as number;
    if (rest.length === 0 && replacement === undefined) copy.splice(i, 1);
    else copy[i] = setAt(copy[i] ?? null, rest, replacement);
    return copy;
  }
  const record = value as Record<string, Json>;
  const key = head as string;
  if (rest.length === 0 && replacement === undefined) {
    return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
  }
  return { ...record, [key]: setAt(record[key] ?? null, rest, replacement) };
}

function getAt(value: Json, path: Path): Json {
  let node: Json = value;
  for (const key of path) node = (node as Record<string | number, Json>)[key] ?? null;
  return node;
}

const dotted = (path: Path): string => path.join('.') || '(body)';

const isMetadataPath = (path: Path): boolean => path.includes('metadata');

/** Why `value` cannot be valid where `schema` stands, or undefined when it may be. */
export function invalidFor(
  value: Json,
  schema: Schema | undefined,
  path: Path,
): string | undefined {
  if (schema === undefined) {
    // Inside metadata: string values only, up to 500 characters, keys up to 40.
    if (isMetadataPath(path) && path.length >= 2) {
      const parsed = parsedOf(value);
      if (typeof parsed !== 'string') return 'a metadata value that is not a string';
      return stringInvalid(parsed, { maxLength: 500 });
    }
    return undefined;
  }
  const parsed = value instanceof RawJson ? parsedOf(value) : value instanceof Entries ? {} : value;
  if (parsed === undefined) return 'not JSON';
  if (parsed === null) return isNullable(schema) ? undefined : 'null where a value is required';
  if (value instanceof RawJson && /^[[{]/.test(value.text))
    return 'nesting where no nesting belongs';
  switch (typeOf(schema) ?? 'unknown') {
    case 'integer':
      if (typeof parsed !== 'number' || !Number.isInteger(parsed)) return 'not an integer';
      if (schema.minimum !== undefined && parsed < schema.minimum) return 'below the minimum';
      if (schema.maximum !== undefined && parsed > schema.maximum) return 'above the maximum';
      return undefined;
    case 'string':
      if (typeof parsed !== 'string') return 'not a string';
      return stringInvalid(parsed, schema, path);
    case 'array':
      if (!Array.isArray(parsed)) return 'not an array';
      if (schema.maxItems !== undefined && parsed.length > schema.maxItems) return 'too many items';
      if (schema.minItems !== undefined && parsed.length < schema.minItems) return 'too few items';
      return undefined;
    case 'object':
      if (typeof parsed !== 'object' || Array.isArray(parsed)) return 'not an object';
      return undefined;
    default:
      return undefined;
  }
}

function stringInvalid(text: string, schema: Schema, path: Path = []): string | undefined {
  if (hasNul(text)) return 'a NUL character';
  if (hasLoneSurrogate(text)) return 'a lone surrogate';
  if (schema.maxLength !== undefined && text.length > schema.maxLength) return 'too long';
  if (schema.enum !== undefined && !schema.enum.includes(text)) return 'not one of the enum';
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(text)) return 'off pattern';
  const field = path.at(-1);
  if (field === 'number' && !/^\d{12,19}$/.test(text)) return 'not a card number';
  if (field === 'customer' && !/^cust_[0-9A-Za-z]{1,64}$/.test(text)) return 'not a customer id';
  return undefined;
}

interface Body {
  text: string | undefined;
  mustRefuse: string[];
}

/** A body for `operation`: valid, or valid and then hurt in one or two places. */
function bodyFor(operation: Operation, ctx: LaneContext): fc.Arbitrary<Body> {
  const schema = operation.body;
  if (schema === undefined) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant<Body>({ text: undefined, mustRefuse: [] }) },
      { weight: 1, arbitrary: fc.constant<Body>({ text: '{}', mustRefuse: [] }) },
      {
        weight: 1,
        arbitrary: fc.constant<Body>({ text: '{"unexpected":true}', mustRefuse: [] }),
      },
    );
  }
  return validObject(schema, ctx).chain((valid) => {
    const nodes = nodesOf(valid, schema);
    const whole = (text: string, reasons: string[]): Body => ({ text, mustRefuse: reasons });
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(whole(jsonText(valid), [])) },
      { weight: 6, arbitrary: mutateField(valid, nodes) },
      { weight: 2, arbitrary: removeField(valid, nodes, schema) },
      { weight: 2, arbitrary: addField(valid, nodes) },
      { weight: 1, arbitrary: duplicateKey(valid, nodes) },
      { weight: 1, arbitrary: cardInText(valid, nodes) },
      {
        weight: 2,
        arbitrary: fc
          .integer({ min: 1, max: Math.max(1, jsonText(valid).length - 1) })
          .map((cut) => {
            const text = jsonText(valid).slice(0, cut);
            return whole(text, parsedOf(new RawJson(text)) === undefined ? ['truncated JSON'] : []);
          }),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            '[]',
            '"x"',
            '1',
            'true',
            'null',
            '',
            '   ',
            '\uFEFF{}',
            '{"a":}',
            "{'a':1}",
            '{"a":1}garbage',
            '{}{}',
            '\u0000',
            '{}',
          )
          .map((text) => whole(text, topLevelRefusal(text, operation))),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: ctx.bodyLimitBytes + 1, max: ctx.bodyLimitBytes * 3 })
          .map((size) => {
            const text = jsonText(valid);
            const padding = 'x'.repeat(Math.max(0, size - text.length - 20));
            return whole(text.replace(/^\{/, `{"metadata":{"pad":"${padding}"},`), [
              'over BODY_LIMIT_BYTES',
            ]);
          }),
      },
    );
  });
}

/** Why a whole body of `text` is refused for certain, if it is. */
function topLevelRefusal(text: string, operation: Operation): string[] {
  if (['[]', '"x"', '1', 'true'].includes(text)) return ['not a JSON object'];
  if (['null', '', '   '].includes(text)) return operation.bodyRequired ? ['no JSON object'] : [];
  if (text === '{}') {
    return (operation.body?.required ?? []).length > 0 ? ['required fields missing'] : [];
  }
  if (text === '\uFEFF{}') return [];
  return ['not JSON'];
}

function mutateField(valid: Json, nodes: [Path, Schema | undefined][]): fc.Arbitrary<Body> {
  const leaves = nodes.filter(([path]) => path.length > 0);
  if (leaves.length === 0) return fc.constant({ text: jsonText(valid), mustRefuse: [] });
  return fc
    .tuple(
      fc.constantFrom(...leaves),
      fc.oneof(hostileValue, hostileString as fc.Arbitrary<Json>, extremeNumber),
    )
    .map(([[path, schema], value]) => {
      const reason = invalidFor(value, schema, path);
      return {
        text: jsonText(setAt(valid, path, value)),
        mustRefuse: reason === undefined ? [] : [`${dotted(path)}: ${reason}`],
      };
    });
}

function removeField(
  valid: Json,
  nodes: [Path, Schema | undefined][],
  root: Schema,
): fc.Arbitrary<Body> {
  const fields = nodes.filter(([path]) => path.length > 0 && typeof path.at(-1) === 'string');
  if (fields.length === 0) return fc.constant({ text: jsonText(valid), mustRefuse: [] });
  return fc.constantFrom(...fields).map(([path]) => {
    const parent = schemaAt(root, path.slice(0, -1));
    const required = parent?.required?.includes(path.at(-1) as string) === true;
    return {
      text: jsonText(setAt(valid, path, undefined)),
      mustRefuse: required ? [`${dotted(path)}: required and missing`] : [],
    };
  });
}

function schemaAt(root: Schema, path: Path): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const key of path)
    schema = typeof key === 'number' ? schema?.items : schema?.properties?.[key];
  return schema;
}

function addField(valid: Json, nodes: [Path, Schema | undefined][]): fc.Arbitrary<Body> {
  const objects = nodes.filter(([path, schema]) => {
    const node = getAt(valid, path);
    return (
      node !== null &&
      typeof node === 'object' &&
      !Array.isArray(node) &&
      (schema?.properties !== undefined || isMetadataPath(path))
    );
  });
  if (objects.length === 0) return fc.constant({ text: jsonText(valid), mustRefuse: [] });
  return fc
    .tuple(fc.constantFrom(...objects), hostileKey, fc.oneof(hostileValue, fc.constant<Json>('v')))
    .map(([[path, schema], key, value]) => {
      const node = getAt(valid, path) as Record<string, Json>;
      const entries = new Entries([...Object.entries(node), [key, value]]);
      const reasons: string[] = [];
      const known = schema?.properties !== undefined && key in schema.properties;
      if (key === '__proto__') reasons.push(`${dotted(path)}: a __proto__ key`);
      else if (schema?.properties !== undefined && !known && !Object.hasOwn(node, key)) {
        reasons.push(`${dotted(path)}.${key}: unknown field`);
      } else if (isMetadataPath(path) && schema?.properties === undefined) {
        const reason =
          key.length > 40 || key === '' || hasNul(key) || hasLoneSurrogate(key)
            ? 'a bad metadata key'
            : invalidFor(value, undefined, [...path, key]);
        if (reason !== undefined) reasons.push(`${dotted(path)}.${key}: ${reason}`);
      }
      return {
        text: jsonText(path.length === 0 ? entries : setAt(valid, path, entries)),
        mustRefuse: reasons,
      };
    });
}

function duplicateKey(valid: Json, nodes: [Path, Schema | undefined][]): fc.Arbitrary<Body> {
  const fields = nodes.filter(([path]) => path.length > 0 && typeof path.at(-1) === 'string');
  if (fields.length === 0) return fc.constant({ text: jsonText(valid), mustRefuse: [] });
  return fc
    .tuple(fc.constantFrom(...fields), hostileValue, fc.boolean())
    .map(([[path], value, hostileFirst]) => {
      const parentPath = path.slice(0, -1);
      const key = path.at(-1) as string;
      const parent = getAt(valid, parentPath) as Record<string, Json>;
      const pairs: [string, Json][] = hostileFirst
        ? [[key, value], ...Object.entries(parent)]
        : [...Object.entries(parent), [key, value]];
      const entries = new Entries(pairs);
      return {
        text: jsonText(parentPath.length === 0 ? entries : setAt(valid, parentPath, entries)),
        mustRefuse: [],
      };
    });
}

/** A card number in a text field other than the card's own: always refused. */
function cardInText(valid: Json, nodes: [Path, Schema | undefined][]): fc.Arbitrary<Body> {
  const texts = nodes.filter(([path, schema]) => {
    const field = path.at(-1);
    return (
      path.length > 0 &&
      field !== 'number' &&
      field !== 'cvc' &&
      field !== 'url' &&
      (typeOf(schema ?? {}) === 'string' || (isMetadataPath(path) && path.length >= 2)) &&
      typeof getAt(valid, path) === 'string'
    );
  });
  if (texts.length === 0) return fc.constant({ text: jsonText(valid), mustRefuse: [] });
  return fc
    .tuple(fc.constantFrom(...texts), fc.constantFrom(CARD_IN_TEXT, `card ${TEST_CARDS[0]} exp`))
    .map(([[path], card]) => ({
      text: jsonText(setAt(valid, path, card)),
      mustRefuse: [`${dotted(path)}: a card number in text`],
    }));
}

// ── Path ids, queries, headers ───────────────────────────────────────────────────────────────

interface Part {
  text: string;
  mustRefuse: string[];
}

function pathIdFor(prefix: string | undefined, ctx: LaneContext): fc.Arbitrary<Part> {
  const own = prefix === undefined ? [] : (ctx.own[prefix] ?? []);
  const foreign = prefix === undefined ? [] : (ctx.foreign[prefix] ?? []);
  const missing =
    (why: string) =>
    (text: string): Part => ({ text: encodeSegment(text), mustRefuse: [why] });
  const choices: fc.WeightedArbitrary<Part>[] = [
    {
      weight: 2,
      arbitrary: base62(1, 64).map((s) => missing('an unknown id')(`${prefix ?? 'x'}_${s}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...PREFIXES.filter((p) => p !== prefix)), base62(22, 22))
        .map(([p, s]) => missing('an id of another kind')(`${p}_${s}`)),
    },
    { weight: 2, arbitrary: hostileString.filter((s) => s !== '').map(missing('not an id')) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '%',
          '%zz',
          '%ED%A0%80',
          '%00',
          '%2F',
          '%2e%2e',
          '..',
          '.',
          '%C0%AF',
          '%F0%9F%98',
          '%u0041',
        )
        .map((text) => ({ text, mustRefuse: ['a broken path segment'] })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 65, max: 30_000 })
        .map((n) => missing('too long an id')(`${prefix ?? 'x'}_${'a'.repeat(n)}`)),
    },
  ];
  if (own.length > 0) {
    choices.push({
      weight: 5,
      arbitrary: fc.constantFrom(...own).map((id) => ({ text: id, mustRefuse: [] })),
    });
  }
  if (foreign.length > 0) {
    choices.push({
      weight: 2,
      arbitrary: fc.constantFrom(...foreign).map(missing("another merchant's id")),
    });
  }
  return fc.oneof(...choices);
}

function queryValue(param: QueryParam): fc.Arbitrary<Part> {
  const { schema } = param;
  const example = textExampleOf(schema);
  const valid: fc.Arbitrary<string> =
    schema.enum !== undefined && schema.enum.length > 0
      ? fc.constantFrom(...schema.enum.map(String))
      : typeOf(schema) === 'integer'
        ? fc.integer({ min: schema.minimum ?? 1, max: schema.maximum ?? 100 }).map(String)
        : schema.format === 'date'
          ? fc
              .date({
                min: new Date('2020-01-01'),
                max: new Date('2030-01-01'),
                noInvalidDate: true,
              })
              .map((d) => d.toISOString().slice(0, 10))
          : schema.format === 'date-time'
            ? fc
                .date({
                  min: new Date('2020-01-01'),
                  max: new Date('2030-01-01'),
                  noInvalidDate: true,
                })
                .map((d) => d.toISOString())
            : example !== undefined
              ? fc.constant(example)
              : base62(1, 20);
  const judged = (value: string): Part => {
    let reason: string | undefined;
    if (value.includes(CARD_IN_TEXT) || TEST_CARDS.some((c) => value.includes(c)))
      reason = 'a card number';
    else if (schema.enum !== undefined && !schema.enum.map(String).includes(value))
      reason = 'not one of the enum';
    else if (typeOf(schema) === 'integer') {
      const n = Number(value);
      if (
        !Number.isInteger(n) ||
        n < (schema.minimum ?? -Infinity) ||
        n > (schema.maximum ?? Infinity)
      ) {
        reason = 'not an integer in range';
      }
    }
    return { text: value, mustRefuse: reason === undefined ? [] : [`${param.name}: ${reason}`] };
  };
  return fc.oneof(
    { weight: 3, arbitrary: valid.map(judged) },
    { weight: 2, arbitrary: hostileString.map(judged) },
    { weight: 1, arbitrary: extremeNumber.map((n) => judged(jsonText(n))) },
    { weight: 1, arbitrary: fc.constant(judged(CARD_IN_TEXT)) },
  );
}

const encodeQueryPart = (text: string): string => encodeSegment(text);

function queryFor(operation: Operation): fc.Arbitrary<Part> {
  const params = operation.query;
  const documented = params.map((param) =>
    fc.oneof(
      {
        weight: param.required ? 8 : 2,
        arbitrary: queryValue(param).map((v) => [param, v] as const),
      },
      {
        weight: param.required ? 1 : 3,
        arbitrary: fc.constant([param, undefined] as const),
      },
    ),
  );
  const extras = fc.array(
    fc.oneof(
      fc.tuple(hostileKey, hostileString).map(([k, v]): Part => ({
        text: `${encodeQueryPart(k)}=${encodeQueryPart(v)}`,
        mustRefuse: k === '' ? [] : [`${k}: an unknown parameter`],
      })),
      params.length === 0
        ? fc.constant<Part>({ text: '', mustRefuse: [] })
        : fc
            .tuple(fc.constantFrom(...params), base62(1, 5), base62(1, 5))
            .map(([p, a, b]): Part => ({
              text: `${encodeQueryPart(p.name)}=${a}&${encodeQueryPart(p.name)}=${b}`,
              mustRefuse: [`${p.name}: given twice`],
            })),
      params.length === 0
        ? fc.constant<Part>({ text: '&&&', mustRefuse: [] })
        : fc.constantFrom(...params).map((p): Part => ({
            text: `${encodeQueryPart(p.name)}[]=1&${encodeQueryPart(p.name)}[x]=2`,
            mustRefuse: [`${p.name}[]: an unknown parameter`],
          })),
      fc.constantFrom<Part>(
        { text: '%', mustRefuse: [] },
        { text: '%zz=1', mustRefuse: [] },
        { text: '=1', mustRefuse: [] },
        { text: 'a=%ED%A0%80', mustRefuse: ['a: an unknown parameter'] },
        { text: '__proto__[x]=1', mustRefuse: ['__proto__[x]: an unknown parameter'] },
        { text: 'constructor=1', mustRefuse: ['constructor: an unknown parameter'] },
      ),
    ),
    { maxLength: 2 },
  );
  return fc
    .tuple(
      fc.tuple(...documented),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extras }),
    )
    .map(([chosen, extra]) => {
      const parts: Part[] = [];
      const reasons: string[] = [];
      for (const [param, value] of chosen) {
        if (value === undefined) {
          if (param.required) reasons.push(`${param.name}: required and missing`);
          continue;
        }
        parts.push({
          text: `${encodeQueryPart(param.name)}=${encodeQueryPart(value.text)}`,
          mustRefuse: [],
        });
        reasons.push(...value.mustRefuse);
      }
      for (const part of extra) {
        parts.push(part);
        // A route without query parameters reads none, so it has none to refuse.
        if (params.length > 0) reasons.push(...part.mustRefuse);
      }
      const text = parts
        .map((p) => p.text)
        .filter((t) => t !== '')
        .join('&');
      return { text: text === '' ? '' : `?${text}`, mustRefuse: reasons };
    });
}

/** A header value node:http will send: tabs, printable ASCII and Latin-1 only. */
const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc
      .oneof(
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0x80, max: 0xff }),
        fc.constant(0x09),
      )
      .map((c) => String.fromCharCode(c)),
    maxLength,
  });

interface Auth {
  headers: [string, string][];
  authenticated: boolean;
  mustRefuse: string[];
}

function authFor(ctx: LaneContext): fc.Arbitrary<Auth> {
  const good: Auth = {
    headers: [['authorization', `Bearer ${ctx.apiKey}`]],
    authenticated: true,
    mustRefuse: [],
  };
  const forged = (header: string | undefined, why: string): Auth => ({
    headers: header === undefined ? [] : [['authorization', header]],
    authenticated: false,
    mustRefuse: [why],
  });
  return fc.oneof(
    { weight: 60, arbitrary: fc.constant(good) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant(forged(undefined, 'no API key')),
        base62(32, 32).map((s) => forged(`Bearer sk_test_${s}`, 'an unknown API key')),
        headerText(300).map((s) => forged(`Bearer ${s}`, 'a malformed API key')),
        fc.constantFrom(
          forged('Bearer', 'no API key'),
          forged('Bearer ', 'no API key'),
          forged(`Basic ${Buffer.from(`${ctx.apiKey}:`).toString('base64')}`, 'not a bearer key'),
          forged(`Bearer ${ctx.apiKey.slice(0, -1)}`, 'a truncated API key'),
          forged(`Bearer ${ctx.apiKey}x`, 'a lengthened API key'),
          forged(`Bearer ${ctx.apiKey.toUpperCase()}`, 'an API key in the wrong case'),
          forged(`Bearer ${ctx.apiKey.replace('sk_test_', 'sk_live_')}`, 'a live-mode key'),
          forged(`Bearer ${'sk_test_' + 'A'.repeat(5000)}`, 'a huge API key'),
        ),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Auth>(
        {
          headers: [['authorization', `bearer ${ctx.apiKey}`]],
          authenticated: false,
          mustRefuse: [],
        },
        {
          headers: [['authorization', `Bearer  ${ctx.apiKey}`]],
          authenticated: false,
          mustRefuse: [],
        },
        { headers: [['authorization', ctx.apiKey]], authenticated: false, mustRefuse: [] },
        {
          headers: [
            ['authorization', `Bearer ${ctx.apiKey}`],
            ['authorization', 'Bearer sk_test_forged'],
          ],
          authenticated: false,
          mustRefuse: [],
        },
      ),
    },
  );
}

interface KeyChoice {
  headers: [string, string][];
  key: string | undefined;
  reused: boolean;
  mustRefuse: string[];
}

function idempotencyFor(
  isPost: boolean,
  previousKey: () => string | undefined,
): fc.Arbitrary<KeyChoice> {
  const valid = (key: string): KeyChoice => ({
    headers: [['idempotency-key', key]],
    key,
    reused: false,
    mustRefuse: [],
  });
  const invalid = (key: string, why: string): KeyChoice => ({
    headers: [['idempotency-key', key]],
    key: undefined,
    reused: false,
    mustRefuse: isPost ? [`Idempotency-Key: ${why}`] : [],
  });
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.constant<KeyChoice>({
        headers: [],
        key: undefined,
        reused: false,
        mustRefuse: [],
      }),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.uuid(),
          fc.string({
            unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
            maxLength: 200,
          }),
        )
        .map(([id, odd]) => valid(`${odd}${id}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constant<KeyChoice>({ headers: [], key: undefined, reused: true, mustRefuse: [] })
        .map((c) => {
          const key = previousKey();
          return key === undefined
            ? c
            : {
                headers: [['idempotency-key', key] as [string, string]],
                key,
                reused: true,
                mustRefuse: [],
              };
        }),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant(invalid('', 'empty')),
        fc.constant(invalid('x'.repeat(256), 'longer than 255')),
        fc.constant(invalid('a b', 'a space')),
        fc.constant(invalid('tab\there', 'a tab')),
        fc.constant(invalid('clé', 'not ASCII')),
        fc.constant(invalid(TEST_CARDS[0], 'a card number')),
        headerText(300)
          .filter((s) => !/^[\x21-\x7e]{1,255}$/.test(s.trim()))
          .map((s) => invalid(s, 'off format')),
        fc.uuid().map((a): KeyChoice => ({
          headers: [
            ['idempotency-key', a],
            ['idempotency-key', `${a}-2`],
          ],
          key: undefined,
          reused: false,
          mustRefuse: isPost ? ['Idempotency-Key: sent twice'] : [],
        })),
      ),
    },
  );
}

type Correlation = Part & { headers: [string, string][] };

function correlationFor(): fc.Arbitrary<Correlation> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constant({
        text: '',
        headers: [] as [string, string][],
        mustRefuse: [] as string[],
      }),
    },
    {
      weight: 2,
      arbitrary: fc.uuid().map((id) => ({
        text: id,
        headers: [['x-correlation-id', id]] as [string, string][],
        mustRefuse: [] as string[],
      })),
    },
    {
      weight: 1,
      arbitrary: headerText(2000).map((s) => ({
        text: s,
        headers: [['x-correlation-id', s]] as [string, string][],
        mustRefuse: [] as string[],
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant<Correlation>({
        text: CARD_IN_TEXT,
        headers: [['x-correlation-id', `order ${TEST_CARDS[0]}`]] as [string, string][],
        mustRefuse: ['X-Correlation-Id: a card number'],
      }),
    },
  );
}

interface ContentType {
  headers: [string, string][];
  mustRefuse: string[];
}

function contentTypeFor(hasBody: boolean): fc.Arbitrary<ContentType> {
  const json: ContentType = { headers: [['content-type', 'application/json']], mustRefuse: [] };
  if (!hasBody) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant<ContentType>({ headers: [], mustRefuse: [] }) },
      { weight: 1, arbitrary: fc.constant(json) },
      {
        weight: 1,
        arbitrary: fc.constant<ContentType>({
          headers: [['content-type', 'text/plain']],
          mustRefuse: [],
        }),
      },
    );
  }
  const refused = (value: string | undefined): ContentType => ({
    headers: value === undefined ? [] : [['content-type', value]],
    mustRefuse: [`Content-Type: ${value ?? 'none'}`],
  });
  const odd = (value: string): ContentType => ({
    headers: [['content-type', value]],
    mustRefuse: [],
  });
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        refused(undefined),
        refused('text/plain'),
        refused('application/x-www-form-urlencoded'),
        refused('multipart/form-data'),
        refused('application/xml'),
        refused('image/png'),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          odd('application/json; charset=utf-8'),
          odd('application/json; charset=utf-16'),
          odd('application/JSON'),
          odd('application/json;;;'),
          odd('application/vnd.api+json'),
          odd('application/json, text/plain'),
          odd(''),
          odd('*/*'),
          {
            headers: [
              ['content-type', 'application/json'],
              ['content-type', 'text/plain'],
            ],
            mustRefuse: [],
          } as ContentType,
          {
            headers: [
              ['content-type', 'application/json'],
              ['content-encoding', 'gzip'],
            ],
            mustRefuse: [],
          } as ContentType,
        ),
        headerText(200).map(odd),
      ),
    },
  );
}

// ── The request ──────────────────────────────────────────────────────────────────────────────

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Requests to `operations`, for the lane `ctx`; `previousKey` gives a key used before. */
export function hostileRequests(
  operations: Operation[],
  ctx: LaneContext,
  previousKey: () => string | undefined,
): fc.Arbitrary<HostileRequest> {
  const templates = [...new Set(operations.map((o) => o.template))];
  const perOperation = operations.map((operation) => {
    const isPost = operation.method === 'POST';
    return fc
      .record({
        ids: fc.tuple(...operation.pathParams.map((p) => pathIdFor(p.prefix, ctx))),
        query: queryFor(operation),
        body: bodyFor(operation, ctx),
        auth: authFor(ctx),
        key: idempotencyFor(isPost, previousKey),
        correlation: correlationFor(),
        method: fc.oneof(
          { weight: 19, arbitrary: fc.constant(operation.method) },
          { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
        ),
        slash: fc.oneof(
          { weight: 19, arbitrary: fc.constant('') },
          { weight: 1, arbitrary: fc.constant('/') },
        ),
      })
      .chain((parts) =>
        contentTypeFor(parts.body.text !== undefined).map((contentType) => ({
          ...parts,
          contentType,
        })),
      )
      .map(
        ({
          ids,
          query,
          body,
          auth,
          key,
          correlation,
          method,
          slash,
          contentType,
        }): HostileRequest => {
          let path = operation.template;
          operation.pathParams.forEach((param, i) => {
            path = path.replace(`{${param.name}}`, ids[i]?.text ?? '');
          });
          const mustRefuse = [
            ...ids.flatMap((id) => id.mustRefuse),
            ...auth.mustRefuse,
            ...correlation.mustRefuse,
          ];
          // Another method on this path is a different operation (or a 405): its own rules apply.
          if (method === operation.method) {
            mustRefuse.push(
              ...query.mustRefuse,
              ...(isPost ? key.mustRefuse : []),
              ...body.mustRefuse,
              // A route that takes no body does not read one, whatever its media type.
              ...(operation.body === undefined ? [] : contentType.mustRefuse),
            );
          } else if (
            !operations.some((o) => o.method === method && o.template === operation.template)
          ) {
            mustRefuse.push(`${method} is not a method of ${operation.template}`);
          }
          // Operational routes (health, metrics) are open to all and read no input: only a
          // wrong method is refused for certain there.
          const isApi = operation.template.startsWith('/v2/');
          return {
            operation: `${operation.method} ${operation.template}`,
            request: {
              method,
              path: `${path}${slash}${query.text}`,
              headers: [
                ...auth.headers,
                ...key.headers,
                ...correlation.headers,
                ...contentType.headers,
              ],
              body: body.text,
            },
            mustRefuse: isApi
              ? mustRefuse
              : mustRefuse.filter((reason) => reason.includes('is not a method of')),
            authenticated: auth.authenticated,
            idempotencyKey: method === 'POST' ? key.key : undefined,
            reusedKey: key.reused,
          };
        },
      );
  });
  const unknownRoute = fc
    .tuple(
      fc.constantFrom(...templates),
      hostileString,
      fc.constantFrom(...OTHER_METHODS),
      authFor(ctx),
    )
    .map(([template, tail, method, auth]): HostileRequest => ({
      operation: 'unknown route',
      request: {
        method,
        path: `${template.replace(/\{[^}]+\}/g, 'x')}/${encodeSegment(tail) || 'x'}/more`,
        headers: auth.headers,
      },
      mustRefuse: ['an unknown route', ...auth.mustRefuse],
      authenticated: auth.authenticated,
      idempotencyKey: undefined,
      reusedKey: false,
    }));
  return fc.oneof(...perOperation.map((arbitrary) => ({ weight: 4, arbitrary })), {
    weight: 1,
    arbitrary: unknownRoute,
  });
}

/** The request, as a failure message shows it: no API key, bodies cut short. */
export function describeRequest(generated: HostileRequest): string {
  const { request } = generated;
  const headers = request.headers
    .map(
      ([k, v]) =>
        `${k}: ${k === 'authorization' ? v.replace(/sk_test_\w+/, 'sk_test_…') : cut(v, 120)}`,
    )
    .join('\n  ');
  return [
    `${generated.operation}: ${request.method} ${cut(request.path, 300)}`,
    `  ${headers}`,
    request.body === undefined
      ? '  (no body)'
      : `  body (${request.body.length} chars): ${cut(JSON.stringify(request.body), 600)}`,
    `  must refuse: ${generated.mustRefuse.length === 0 ? 'no' : generated.mustRefuse.join('; ')}`,
  ].join('\n');
}

const cut = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;
