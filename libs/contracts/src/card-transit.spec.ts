import { cardTransitKey, openCardSecrets, sealCardSecrets } from './card-transit';

const key = cardTransitKey('a'.repeat(64));
const card = { number: '4242424242424242', cvc: '123' };

describe('card transit sealing', () => {
  it('opens what it sealed for the same merchant and key', () => {
    const sealed = sealCardSecrets(card, key, 'mer_1');
    expect(openCardSecrets(sealed, key, 'mer_1')).toEqual(card);
  });

  it('never carries the digits in the sealed text', () => {
    const sealed = sealCardSecrets(card, key, 'mer_1');
    expect(sealed).not.toContain('4242424242424242');
    expect(sealed).not.toContain('424242');
  });

  it('seals the same card differently each time', () => {
    expect(sealCardSecrets(card, key, 'mer_1')).not.toBe(sealCardSecrets(card, key, 'mer_1'));
  });

  it('refuses a seal made for another merchant', () => {
    expect(openCardSecrets(sealCardSecrets(card, key, 'mer_1'), key, 'mer_2')).toBeNull();
  });

  it('refuses a seal made under another key', () => {
    const other = cardTransitKey('another development key');
    expect(openCardSecrets(sealCardSecrets(card, other, 'mer_1'), key, 'mer_1')).toBeNull();
  });

  it('opens seals of the previous keys it still holds during a rotation', () => {
    const previous = cardTransitKey('b'.repeat(64));
    const current = cardTransitKey('c'.repeat(64));
    const sealedBefore = sealCardSecrets(card, previous, 'mer_1');
    expect(openCardSecrets(sealedBefore, [current, previous], 'mer_1')).toEqual(card);
    expect(
      openCardSecrets(sealCardSecrets(card, current, 'mer_1'), [current, previous], 'mer_1'),
    ).toEqual(card);
    expect(openCardSecrets(sealedBefore, [current], 'mer_1')).toBeNull();
  });

  it('refuses a tampered or malformed seal', () => {
    const sealed = sealCardSecrets(card, key, 'mer_1');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(openCardSecrets(parts.join('.'), key, 'mer_1')).toBeNull();
    expect(openCardSecrets('v1.x.y', key, 'mer_1')).toBeNull();
    expect(openCardSecrets('', key, 'mer_1')).toBeNull();
  });
});
