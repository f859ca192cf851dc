import { ApiError } from '../errors/api-error';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonBody } from './json-body';

const refusal = (text: string): ApiError | undefined => {
  try {
    parseJsonBody(text);
    return undefined;
  } catch (error) {
    return error as ApiError;
  }
};

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseJsonBody', () => {
  it('parses a JSON object', () => {
    expect(parseJsonBody('{"email":"a@example.com","n":[1,2]}')).toEqual({
      email: 'a@example.com',
      n: [1, 2],
    });
  });

  it.each([
    ['truncated JSON', '{"email": '],
    ['single quotes', "{'email': 'a'}"],
    ['a trailing comma', '{"a": 1,}'],
    ['an empty body', ''],
    ['only whitespace', '  \n'],
    ['a byte order mark', '\uFEFF{}'],
  ])('refuses %s as invalid_json', (_case, text) => {
    const error = refusal(text);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.status).toBe(400);
    expect(error?.body.code).toBe('invalid_json');
  });

  it('refuses __proto__ keys at any depth', () => {
    expect(refusal('{"__proto__": {"admin": true}}')?.body.code).toBe('invalid_json');
    expect(refusal('{"a": [{"__proto__": {}}]}')?.body.code).toBe('invalid_json');
  });

  it('refuses constructor.prototype keys', () => {
    expect(refusal('{"constructor": {"prototype": {"x": 1}}}')?.body.code).toBe('invalid_json');
  });

  it('accepts a key named constructor holding a plain value', () => {
    expect(parseJsonBody('{"constructor": "x"}')).toEqual({ constructor: 'x' });
  });

  it(`accepts nesting up to ${MAX_JSON_DEPTH} levels and refuses deeper`, () => {
    expect(() => parseJsonBody(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(refusal(nested(MAX_JSON_DEPTH + 1))?.body.code).toBe('invalid_json');
  });

  it('refuses very deep nesting, saying so, without overflowing the stack', () => {
    const error = refusal(`{"a": ${nested(30_000)}}`);
    expect(error?.body.code).toBe('invalid_json');
    expect(error?.body.message).toMatch(/deeper than/);
  });
});

describe('nestsDeeperThan', () => {
  it('counts objects and arrays as levels, not scalars', () => {
    expect(nestsDeeperThan('{"a": {"b": [1]}}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a": {"b": [1]}}', 2)).toBe(true);
    expect(nestsDeeperThan('"text"', 0)).toBe(false);
  });

  it('counts the levels of siblings separately', () => {
    expect(nestsDeeperThan('[[1], [2], {"a": 3}]', 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan('{"a": "[[[[{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a": "\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a": "\\\\", "b": [[1]]}', 2)).toBe(true);
  });
});
