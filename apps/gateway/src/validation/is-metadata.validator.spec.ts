import { metadataProblem } from './is-metadata.validator';

const keys = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, 'value']));

describe('metadataProblem', () => {
  it('accepts string values within the limits', () => {
    expect(metadataProblem({ company: 'Acme Inc', order_id: 'order_123' })).toBeUndefined();
    expect(metadataProblem({})).toBeUndefined();
  });

  it('accepts 50 keys and refuses 51', () => {
    expect(metadataProblem(keys(50))).toBeUndefined();
    expect(metadataProblem(keys(51))).toEqual({ message: 'metadata can have at most 50 keys.' });
  });

  it('accepts keys of 40 characters and refuses longer ones, naming the key', () => {
    expect(metadataProblem({ ['k'.repeat(40)]: 'v' })).toBeUndefined();
    expect(metadataProblem({ ['k'.repeat(41)]: 'v' })?.key).toBe('k'.repeat(41));
  });

  it('refuses an empty key', () => {
    expect(metadataProblem({ '': 'v' })?.key).toBe('');
  });

  it('accepts values of 500 characters and refuses longer ones', () => {
    expect(metadataProblem({ note: 'v'.repeat(500) })).toBeUndefined();
    expect(metadataProblem({ note: 'v'.repeat(501) })).toEqual({
      key: 'note',
      message: 'metadata.note must be at most 500 characters long.',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(metadataProblem({ note: '😀'.repeat(500) })).toBeUndefined();
    expect(metadataProblem({ ['é'.repeat(40)]: 'v' })).toBeUndefined();
  });

  it.each([
    ['a number', { company: 5 }],
    ['null', { company: null }],
    ['an object', { company: { name: 'Acme' } }],
    ['an array', { company: ['Acme'] }],
    ['a boolean', { company: true }],
  ])('refuses %s as a value, naming the key', (_case, metadata) => {
    expect(metadataProblem(metadata)).toEqual({
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
    expect(metadataProblem(metadata)).toEqual({
      message: 'metadata must be an object whose values are strings.',
    });
  });
});
