import { RecentMap } from './recent-map';

describe('RecentMap', () => {
  it('forgets the least recently used entry beyond its capacity', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('replaces a value without growing', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('a', 2);
    expect(map.get('a')).toBe(2);
    expect(map.size).toBe(1);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });
});
