import { unstorableTextAt } from './storable-text';

describe('unstorableTextAt', () => {
  it('accepts ordinary text, emoji and other scripts', () => {
    expect(
      unstorableTextAt({ name: 'Zoë 名前 😀', metadata: { ключ: 'значение' } }),
    ).toBeUndefined();
  });

  it('names a string with a NUL character by its dotted path', () => {
    expect(unstorableTextAt({ metadata: { note: 'a\u0000b' } })).toBe('metadata.note');
  });

  it('names unpaired surrogates, high or low', () => {
    expect(unstorableTextAt({ name: 'a\ud800' })).toBe('name');
    expect(unstorableTextAt({ name: '\udc00a' })).toBe('name');
    expect(unstorableTextAt({ items: ['ok', '\ud83d'] })).toBe('items.1');
  });

  it('names a key that cannot be stored', () => {
    expect(unstorableTextAt({ metadata: { 'k\u0000': 'v' } })).toBe('metadata.k\u0000');
  });

  it('ignores numbers, booleans and null', () => {
    expect(unstorableTextAt({ a: 1, b: true, c: null })).toBeUndefined();
  });
});
