import { canonicalJson, requestHash } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps the order of arrays', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('treats an absent body as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
  });

  it('escapes keys and strings as JSON does', () => {
    expect(canonicalJson({ 'a"b': 'é\n' })).toBe('{"a\\"b":"é\\n"}');
  });

  it('orders keys by code unit, independent of locale', () => {
    expect(canonicalJson({ a: 1, B: 2, _: 3 })).toBe('{"B":2,"_":3,"a":1}');
  });
});

describe('requestHash', () => {
  it('is the same for bodies that differ only in key order', () => {
    const first = JSON.parse('{"email":"a@example.com","metadata":{"x":"1","y":"2"}}') as unknown;
    const second = JSON.parse(
      '{ "metadata": {"y":"2","x":"1"}, "email": "a@example.com" }',
    ) as unknown;
    expect(requestHash(first)).toBe(requestHash(second));
  });

  it('differs when a value differs', () => {
    expect(requestHash({ email: 'a@example.com' })).not.toBe(
      requestHash({ email: 'b@example.com' }),
    );
  });

  it('tells a string from a number', () => {
    expect(requestHash({ amount: 1 })).not.toBe(requestHash({ amount: '1' }));
  });

  it('is a SHA-256 hex digest', () => {
    expect(requestHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
