import { mergedMetadataProblem, mergeMetadata } from './metadata';

describe('mergeMetadata', () => {
  it('replaces the keys given, removes those set to "", keeps the others', () => {
    expect(mergeMetadata({ a: '1', b: '2', c: '3' }, { b: 'two', c: '', d: '4' })).toEqual({
      a: '1',
      b: 'two',
      d: '4',
    });
  });

  it('ignores the removal of a key that is not there, and leaves its inputs untouched', () => {
    const current = { a: '1' };
    expect(mergeMetadata(current, { z: '' })).toEqual({ a: '1' });
    mergeMetadata(current, { a: '' });
    expect(current).toEqual({ a: '1' });
  });

  it('refuses a merged whole of more than 50 keys, naming the resource', () => {
    const keys = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(mergedMetadataProblem(keys(50), 'customer')).toBeUndefined();
    expect(mergedMetadataProblem(keys(51), 'customer')).toBe(
      'A customer can have at most 50 metadata keys.',
    );
  });
});
