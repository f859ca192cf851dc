import { metadataRule } from './metadata.rules';

const rule = metadataRule();
const problemOf = (value: unknown) => rule(value, {});

const keys = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, 'value']));

describe('metadataRule', () => {
  it('accepts string values within the limits', () => {
    expect(problemOf({ company: 'Acme Inc', order_id: 'order_123' })).toBeUndefined();
    expect(problemOf({})).toBeUndefined();
  });

  it('accepts 50 keys and refuses 51', () => {
    expect(problemOf(keys(50))).toBeUndefined();
    expect(problemOf(keys(51))).toEqual({
      code: 'parameter_invalid',
      message: 'metadata can have at most 50 keys.',
    });
  });

  it('accepts keys of 40 characters and refuses longer ones and empty ones, naming the key', () => {
    expect(problemOf({ ['k'.repeat(40)]: 'v' })).toBeUndefined();
    expect(problemOf({ ['k'.repeat(41)]: 'v' })).toEqual({
      code: 'parameter_invalid',
      message: 'metadata keys must be 1 to 40 characters long.',
      key: 'k'.repeat(41),
    });
    expect(problemOf({ '': 'v' })?.key).toBe('');
  });

  it('accepts values of 500 characters and refuses longer ones', () => {
    expect(problemOf({ note: 'v'.repeat(500) })).toBeUndefined();
    expect(problemOf({ note: 'v'.repeat(501) })).toEqual({
      code: 'parameter_invalid',
      key: 'note',
      message: 'metadata.note must be at most 500 characters long.',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(problemOf({ ['🔑'.repeat(40)]: '🎉'.repeat(500) })).toBeUndefined();
    expect(problemOf({ ['é'.repeat(40)]: 'v' })).toBeUndefined();
    expect(problemOf({ k: '😀'.repeat(501) })?.key).toBe('k');
  });

  it.each([
    ['a number', { company: 5 }],
    ['null', { company: null }],
    ['an object', { company: { name: 'Acme' } }],
    ['an array', { company: ['Acme'] }],
    ['a boolean', { company: true }],
  ])('refuses %s as a value, naming the key', (_case, metadata) => {
    expect(problemOf(metadata)).toEqual({
      code: 'parameter_invalid',
      key: 'company',
      message: 'metadata.company must be a string.',
    });
  });

  it.each([
    ['null', null],
    ['an array', ['a']],
    ['a string', 'company=Acme'],
    ['a number', 1],
  ])('refuses %s as metadata', (_case, metadata) => {
    expect(problemOf(metadata)).toEqual({
      code: 'parameter_invalid',
      message: 'metadata must be an object whose values are strings.',
    });
  });

  it('never names a key that may hold card digits', () => {
    for (const key of ['4242424242424242', '4242 4242 4242 4242x']) {
      expect(problemOf({ [key]: 5 })).toEqual({
        code: 'parameter_invalid',
        message: 'metadata has an invalid key or value.',
      });
    }
  });

  it('refuses card numbers only where asked, before any other problem', () => {
    const strict = metadataRule({ code: 'invalid_metadata', refuseCardNumbers: true });
    expect(problemOf({ note: 'card 4242424242424242' })).toBeUndefined();
    expect(strict({ a: 5, note: 'card 4242424242424242' }, {})).toEqual({
      code: 'invalid_metadata',
      message: 'metadata must not contain card numbers.',
    });
  });
});
