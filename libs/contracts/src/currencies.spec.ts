import {
  CurrencyCodes,
  isCurrencyCode,
  MAX_AMOUNT,
  MIN_AMOUNT,
  minorUnitExponent,
} from './currencies';

describe('currencies', () => {
  it('knows the exponent of two-decimal, zero-decimal and three-decimal currencies', () => {
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('EUR')).toBe(2);
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('KRW')).toBe(0);
    expect(minorUnitExponent('CLP')).toBe(0);
    expect(minorUnitExponent('KWD')).toBe(3);
    expect(minorUnitExponent('BHD')).toBe(3);
  });

  it('accepts upper-case ISO 4217 codes only', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('XXX')).toBe(false);
    expect(isCurrencyCode('XAU')).toBe(false);
    expect(isCurrencyCode('HRK')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
    expect(isCurrencyCode(840)).toBe(false);
  });

  it('lists every code once, as three capital letters', () => {
    expect(new Set(CurrencyCodes).size).toBe(CurrencyCodes.length);
    expect(CurrencyCodes.length).toBeGreaterThan(140);
    for (const code of CurrencyCodes) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('documents amounts from one minor unit to 99,999,999', () => {
    expect(MIN_AMOUNT).toBe(1);
    expect(MAX_AMOUNT).toBe(99_999_999);
    expect(MAX_AMOUNT).toBeLessThan(2 ** 31);
  });
});
