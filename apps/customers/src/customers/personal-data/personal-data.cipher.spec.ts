import { newDataKey, PersonalDataCipher, type PersonalData } from './personal-data.cipher';

const ada: PersonalData = { email: 'ada@example.com', name: 'Ada', metadata: { plan: 'pro' } };

describe('PersonalDataCipher', () => {
  it('opens what it sealed, and the sealed text shows none of it', () => {
    const cipher = new PersonalDataCipher('cust_1', newDataKey());
    const sealed = cipher.seal(ada);
    expect(cipher.open(sealed)).toEqual(ada);
    const bytes = Buffer.from(sealed, 'base64').toString('utf8');
    for (const text of [sealed, bytes]) {
      expect(text).not.toContain('ada@example.com');
      expect(text).not.toContain('Ada');
    }
  });

  it('seals the same data differently each time (a fresh nonce)', () => {
    const cipher = new PersonalDataCipher('cust_1', newDataKey());
    expect(cipher.seal(ada)).not.toBe(cipher.seal(ada));
  });

  it('does not open with another key', () => {
    const sealed = new PersonalDataCipher('cust_1', newDataKey()).seal(ada);
    expect(() => new PersonalDataCipher('cust_1', newDataKey()).open(sealed)).toThrow();
  });

  it('does not open a value moved to another customer', () => {
    const key = newDataKey();
    const sealed = new PersonalDataCipher('cust_1', key).seal(ada);
    expect(() => new PersonalDataCipher('cust_2', key).open(sealed)).toThrow();
  });

  it('refuses altered bytes', () => {
    const cipher = new PersonalDataCipher('cust_1', newDataKey());
    const bytes = Buffer.from(cipher.seal(ada), 'base64');
    for (const at of [0, 20, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      expect(() => cipher.open(tampered.toString('base64'))).toThrow();
    }
  });

  it('takes only 32-byte keys', () => {
    expect(() => new PersonalDataCipher('cust_1', Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
