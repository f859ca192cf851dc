import { createHash } from 'node:crypto';
import { canonicalJson, requestHash, requestHashKey } from './canonical-json';

const key = requestHashKey('a-test-key-of-at-least-32-characters');

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
    expect(requestHash(first, key)).toBe(requestHash(second, key));
  });

  it('differs when a value differs', () => {
    expect(requestHash({ email: 'a@example.com' }, key)).not.toBe(
      requestHash({ email: 'b@example.com' }, key),
    );
  });

  it('tells a string from a number', () => {
    expect(requestHash({ amount: 1 }, key)).not.toBe(requestHash({ amount: '1' }, key));
  });

  it('is a keyed SHA-256 hex digest: nobody without the key can recompute it', () => {
    const card = { number: '4242424242424242', cvc: '123' };
    expect(requestHash(card, key)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash(card, key)).not.toBe(
      createHash('sha256').update(canonicalJson(card)).digest('hex'),
    );
    expect(requestHash(card, key)).not.toBe(
      requestHash(card, requestHashKey('another-key-of-at-least-32-characters')),
    );
  });
});
