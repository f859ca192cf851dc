import { ResponseSealer } from './response-sealer';

const body = '{"secret":"whsec_abc"}';

describe('ResponseSealer', () => {
  it('seals with the first key and opens what it sealed', () => {
    const sealer = new ResponseSealer([`k2:${'b'.repeat(64)}`, `k1:${'a'.repeat(64)}`]);
    const sealed = sealer.seal(body, 'mer_1\nkey');
    expect(sealed.keyId).toBe('k2');
    expect(sealed.sealed.toString('latin1')).not.toContain('whsec_');
    expect(sealer.open(sealed, 'mer_1\nkey')).toBe(body);
  });

  it('seals the same body differently each time', () => {
    const sealer = new ResponseSealer([`k1:${'a'.repeat(64)}`]);
    expect(sealer.seal(body, 'c').sealed.equals(sealer.seal(body, 'c').sealed)).toBe(false);
  });

  it('refuses another context, altered bytes and a key it no longer has', () => {
    const sealer = new ResponseSealer([`k1:${'a'.repeat(64)}`]);
    const sealed = sealer.seal(body, 'mer_1\nkey');
    expect(() => sealer.open(sealed, 'mer_2\nkey')).toThrow();
    const altered = Buffer.from(sealed.sealed);
    altered.writeUInt8(altered.readUInt8(altered.length - 1) ^ 1, altered.length - 1);
    expect(() => sealer.open({ ...sealed, sealed: altered }, 'mer_1\nkey')).toThrow();
    const rotated = new ResponseSealer([`k3:${'c'.repeat(64)}`]);
    expect(() => rotated.open(sealed, 'mer_1\nkey')).toThrow(/k1/);
  });

  it('wants <id>:<secret> keys', () => {
    expect(() => new ResponseSealer([])).toThrow();
    expect(() => new ResponseSealer(['no-id-here-but-long-enough-0123456789'])).toThrow();
  });
});
