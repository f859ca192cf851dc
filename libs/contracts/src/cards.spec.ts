import {
  CardBrands,
  cardNumberAt,
  checkCardNumber,
  containsCardNumber,
  cvcLengthOf,
  detectCardBrand,
  hasCardExpired,
  isValidCvc,
  isValidExpMonth,
  isValidExpYear,
  last4Of,
  passesLuhn,
  type CardBrand,
} from './cards';

describe('passesLuhn', () => {
  it.each(['4242424242424242', '378282246310005', '36227206271667', '4222222222222'])(
    'accepts %s',
    (number) => {
      expect(passesLuhn(number)).toBe(true);
    },
  );

  it.each(['4242424242424241', '4111111111111', '378282246310006', '12a4', ''])(
    'refuses %p',
    (number) => {
      expect(passesLuhn(number)).toBe(false);
    },
  );
});

describe('detectCardBrand', () => {
  it.each<[string, CardBrand]>([
    ['4242424242424242', 'visa'],
    ['4222222222222', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['6011111111111117', 'discover'],
    ['6445644564456445', 'discover'],
    ['6500000000000002', 'discover'],
    ['3056930009020004', 'diners'],
    ['36227206271667', 'diners'],
    ['38520000023237', 'diners'],
    ['3095000000000009', 'diners'],
    ['3566002020360505', 'jcb'],
    ['3528000000000007', 'jcb'],
    ['6200000000000005', 'unionpay'],
    ['6221260000000000', 'unionpay'],
    ['8100000000000000', 'unionpay'],
  ])('%s is %s', (number, brand) => {
    expect(detectCardBrand(number)).toBe(brand);
  });

  it.each(['2220999999999999', '2721000000000000', '5000000000000000', '1234567890123', '9'])(
    'finds no brand for %s',
    (number) => {
      expect(detectCardBrand(number)).toBeNull();
    },
  );
});

describe('checkCardNumber', () => {
  it('returns the brand and last4 of a valid number, never the number', () => {
    const check = checkCardNumber('4242424242424242');
    expect(check).toEqual({ valid: true, brand: 'visa', last4: '4242' });
  });

  it.each([
    ['4242 4242 4242 4242', 'not_digits'],
    ['4242-4242-4242-4242', 'not_digits'],
    ['42424242424242424242', 'not_digits'],
    ['', 'not_digits'],
    ['1234567812345670', 'unknown_brand'],
    ['42424242424242', 'invalid_length'],
    ['37828224631000', 'invalid_length'],
    ['55555555555544440', 'invalid_length'],
    ['4242424242424241', 'failed_luhn'],
  ])('refuses %p: %s', (number, reason) => {
    expect(checkCardNumber(number)).toEqual({ valid: false, reason });
  });

  it('accepts every documented test card', () => {
    for (const number of [
      '4242424242424242',
      '4000000000000002',
      '4000000000009995',
      '4000000000009987',
      '4000000000009979',
      '4000000000000069',
      '4000000000000127',
      '4000000000000119',
    ]) {
      expect(checkCardNumber(number)).toMatchObject({ valid: true, brand: 'visa' });
    }
  });

  it('accepts the 19-digit numbers Visa, Discover, JCB and UnionPay issue', () => {
    expect(checkCardNumber('6205500000000000004')).toMatchObject({
      valid: true,
      brand: 'unionpay',
    });
    expect(checkCardNumber('4000000000000000006')).toMatchObject({ valid: true, brand: 'visa' });
  });
});

describe('card fields', () => {
  it('wants a 4-digit CVC for amex and 3 digits for every other brand', () => {
    for (const brand of CardBrands) expect(cvcLengthOf(brand)).toBe(brand === 'amex' ? 4 : 3);
    expect(isValidCvc('1234', 'amex')).toBe(true);
    expect(isValidCvc('123', 'amex')).toBe(false);
    expect(isValidCvc('123', 'visa')).toBe(true);
    expect(isValidCvc('1234', 'visa')).toBe(false);
    expect(isValidCvc('12a', 'visa')).toBe(false);
  });

  it('takes months 1 to 12 and four-digit years, integers only', () => {
    expect([0, 1, 12, 13, 1.5, '1'].map(isValidExpMonth)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([999, 1000, 2030, 9999, 10000, 30, '2030'].map(isValidExpYear)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('keeps the last four digits', () => {
    expect(last4Of('378282246310005')).toBe('0005');
  });

  it('counts a card valid through the last day of its expiry month, in UTC', () => {
    expect(hasCardExpired(11, 2026, new Date('2026-11-30T23:59:59.999Z'))).toBe(false);
    expect(hasCardExpired(11, 2026, new Date('2026-12-01T00:00:00.000Z'))).toBe(true);
    expect(hasCardExpired(12, 2024, new Date('2026-01-01T00:00:00Z'))).toBe(true);
    expect(hasCardExpired(1, 2027, new Date('2026-12-31T23:59:59Z'))).toBe(false);
  });
});

describe('containsCardNumber', () => {
  it.each([
    '4242424242424242',
    'card 4242 4242 4242 4242 ok',
    'x378282246310005y',
    '5555-5555-5555-4444',
    '4242 4242 4242 4242 12 30',
    'card 4242424242424242 cvc 123',
    '42424242424242421234',
    '98764242424242424242',
    '7 4242-4242-4242-4242',
    '550e8400-e29b-41d4-a716-446655440000 4242 4242 4242 4242',
    '4242-4242-4242-4242-4242',
  ])('finds a card number in %p', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    'order_123',
    '4242424242424241',
    '2026-03-15',
    '1234567812345670',
    '+44 20 7946 0958',
    '1712345678901',
    '550e8400-e29b-41d4-a716-446655440000',
    '4242.4242',
    // UUIDs whose digit-only groups, read together, would pass the card test.
    'e3a1079f-4049-8721-4665-424242424242',
    'key E3A1079F-4049-8721-4665-424242424242 retried',
  ])('finds none in %p', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('cardNumberAt', () => {
  it('names the value that holds a card number by its dotted path', () => {
    expect(cardNumberAt({ name: 'Jane', metadata: { note: 'card 4242 4242 4242 4242' } })).toBe(
      'metadata.note',
    );
    expect(cardNumberAt({ items: ['ok', '5555555555554444'] })).toBe('items.1');
  });

  it('names the object of a key that holds one, never the key', () => {
    expect(cardNumberAt({ metadata: { '4242424242424242': 'x' } })).toBe('metadata');
  });

  it('skips exempt paths', () => {
    const body = { payment_method: { card: { number: '4242424242424242' } }, metadata: {} };
    expect(cardNumberAt(body, (path) => path === 'payment_method.card.number')).toBeUndefined();
    expect(cardNumberAt(body)).toBe('payment_method.card.number');
  });

  it('finds nothing in ordinary values', () => {
    expect(cardNumberAt({ a: 1, b: true, c: null, d: 'Zoë', e: ['2026-03-15'] })).toBeUndefined();
  });
});
