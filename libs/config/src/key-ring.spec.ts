import { randomBytes } from 'node:crypto';
import { keyRingProblem, parseKeyRing, RingSealer } from './key-ring';

const strong = () => randomBytes(32).toString('base64');

describe('key rings', () => {
  it('seals with the first key and opens with any, bound to the context', () => {
    const [older, newer] = [`old:${strong()}`, `new:${strong()}`];
    const before = new RingSealer(parseKeyRing(older), 'KEYS').seal('whsec_x', 'ep_1');
    const rotated = new RingSealer(parseKeyRing(`${newer},${older}`), 'KEYS');
    expect(rotated.open(before, 'ep_1')).toBe('whsec_x');
    expect(rotated.seal('whsec_x', 'ep_1').keyId).toBe('new');
    expect(() => rotated.open(before, 'ep_2')).toThrow();
    expect(() => new RingSealer(parseKeyRing(newer), 'KEYS').open(before, 'ep_1')).toThrow(
      /sealed with key 'old', which KEYS does not list/,
    );
  });

  it('takes any 32 characters outside production, only strong keys in production', () => {
    const text = 'dev:a-development-passphrase-of-some-length';
    expect(keyRingProblem(text, false)).toBeUndefined();
    expect(keyRingProblem(text, true)).toMatch(/key 'dev' is a placeholder/);
    expect(keyRingProblem(`a:${strong()},b:${strong()}`, true)).toBeUndefined();
    expect(keyRingProblem(`a:${'01'.repeat(32)}`, true)).toMatch(/repeats too few byte values/);
  });
});
