// Card number rules shared by the gateway (400 validation) and payments (defensive checks).
// Nothing here returns or formats a card number: results carry a brand, a last4 or a problem code,
// so a caller cannot echo the number by accident.

export const CardBrands = [
  'visa',
  'mastercard',
  'amex',
  'discover',
  'diners',
  'jcb',
  'unionpay',
] as const;

export type CardBrand = (typeof CardBrands)[number];

/** Valid number lengths per brand (ISO/IEC 7812 issuer ranges as the networks publish them). */
export const CardNumberLengths: Readonly<Record<CardBrand, readonly number[]>> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 17, 18, 19],
  diners: [14, 15, 16, 17, 18, 19],
  jcb: [16, 17, 18, 19],
  unionpay: [16, 17, 18, 19],
};

/** Issuer prefixes as inclusive ranges over the first `digits` digits, most specific first. */
interface PrefixRange {
  brand: CardBrand;
  digits: number;
  from: number;
  to: number;
}

const prefixRanges: readonly PrefixRange[] = [
  { brand: 'diners', digits: 4, from: 3095, to: 3095 },
  { brand: 'jcb', digits: 4, from: 3528, to: 3589 },
  { brand: 'mastercard', digits: 4, from: 2221, to: 2720 },
  { brand: 'discover', digits: 4, from: 6011, to: 6011 },
  { brand: 'diners', digits: 3, from: 300, to: 305 },
  { brand: 'discover', digits: 3, from: 644, to: 649 },
  { brand: 'amex', digits: 2, from: 34, to: 34 },
  { brand: 'amex', digits: 2, from: 37, to: 37 },
  { brand: 'diners', digits: 2, from: 36, to: 36 },
  { brand: 'diners', digits: 2, from: 38, to: 39 },
  { brand: 'mastercard', digits: 2, from: 51, to: 55 },
  { brand: 'discover', digits: 2, from: 65, to: 65 },
  // 62 includes Discover's co-badged 622126–622925: UnionPay is the issuing network there.
  { brand: 'unionpay', digits: 2, from: 62, to: 62 },
  { brand: 'unionpay', digits: 2, from: 81, to: 81 },
  { brand: 'visa', digits: 1, from: 4, to: 4 },
];

const DIGITS = /^\d+$/;

/** The brand whose issuer range the number falls in, whatever its length; null when none does. */
export function detectCardBrand(number: string): CardBrand | null {
  if (!DIGITS.test(number)) return null;
  for (const range of prefixRanges) {
    if (number.length < range.digits) continue;
    const prefix = Number(number.slice(0, range.digits));
    if (prefix >= range.from && prefix <= range.to) return range.brand;
  }
  return null;
}

/** The Luhn (mod 10) check digit test. */
export function passesLuhn(number: string): boolean {
  if (!DIGITS.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** American Express prints a 4-digit security code; the other brands a 3-digit one. */
export const cvcLengthOf = (brand: CardBrand): 3 | 4 => (brand === 'amex' ? 4 : 3);

export const last4Of = (number: string): string => number.slice(-4);

export type CardNumberCheck =
  | { valid: true; brand: CardBrand; last4: string }
  | { valid: false; reason: 'not_digits' | 'unknown_brand' | 'invalid_length' | 'failed_luhn' };

/** Digits only (no spaces or dashes), a known brand, a length that brand issues, and Luhn. */
export function checkCardNumber(number: string): CardNumberCheck {
  if (!DIGITS.test(number) || number.length > 19) return { valid: false, reason: 'not_digits' };
  const brand = detectCardBrand(number);
  if (brand === null) return { valid: false, reason: 'unknown_brand' };
  if (!CardNumberLengths[brand].includes(number.length)) {
    return { valid: false, reason: 'invalid_length' };
  }
  if (!passesLuhn(number)) return { valid: false, reason: 'failed_luhn' };
  return { valid: true, brand, last4: last4Of(number) };
}

/** A CVC is the brand's number of digits, nothing else. */
export const isValidCvc = (cvc: string, brand: CardBrand): boolean =>
  DIGITS.test(cvc) && cvc.length === cvcLengthOf(brand);

export const isValidExpMonth = (month: unknown): month is number =>
  Number.isInteger(month) && (month as number) >= 1 && (month as number) <= 12;

/** Four digits. A year in the past is valid input: the payment then fails with expired_card. */
export const isValidExpYear = (year: unknown): year is number =>
  Number.isInteger(year) && (year as number) >= 1000 && (year as number) <= 9999;

/**
 * A card is usable through the last day of its expiry month (UTC): it has expired once `now` is
 * in a later month.
 */
export const hasCardExpired = (expMonth: number, expYear: number, now: Date): boolean =>
  expYear * 12 + expMonth < now.getUTCFullYear() * 12 + (now.getUTCMonth() + 1);

// Runs of digit groups, each group separated from the next by one space or dash.
const DIGIT_GROUPS = /\d+(?:[ -]\d+)*/g;
const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;
/**
 * A UUID in its canonical form (8-4-4-4-12 hex digits). Its digit-only groups, joined by dashes,
 * pass the card test about once in 2,500 random UUIDs; no card is written in that shape, so a
 * UUID (an Idempotency-Key, a merchant's order id) is not searched.
 */
const UUID =
  /(?<![0-9a-f-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/gi;

/**
 * Whether free text (names, metadata, headers) holds something that looks like a card number:
 * 13 to 19 digits, written whole or in groups separated by spaces or dashes, of a known brand and
 * length, and Luhn-valid. Any run of whole groups is tried, so a number followed by its expiry or
 * CVC ("4242 4242 4242 4242 12 30") is found too, as is one typed before or after other digits.
 * UUIDs are passed over. Such text is refused rather than stored.
 */
export function containsCardNumber(text: string): boolean {
  for (const [run] of text.replace(UUID, ' ').matchAll(DIGIT_GROUPS)) {
    const groups = run.split(/[ -]/);
    for (let first = 0; first < groups.length; first++) {
      let digits = '';
      for (let last = first; last < groups.length; last++) {
        digits += groups[last] ?? '';
        if (digits.length > MAX_CARD_DIGITS) {
          if (last === first && holdsCardAtEdge(digits)) return true;
          break;
        }
        if (digits.length >= MIN_CARD_DIGITS && checkCardNumber(digits).valid) return true;
      }
    }
  }
  return false;
}

/** A number typed into a longer run of digits, at its start or its end. */
function holdsCardAtEdge(digits: string): boolean {
  for (let length = MIN_CARD_DIGITS; length <= MAX_CARD_DIGITS; length++) {
    if (checkCardNumber(digits.slice(0, length)).valid) return true;
    if (checkCardNumber(digits.slice(-length)).valid) return true;
  }
  return false;
}

/**
 * The dotted path of the first key or string value that holds a card number, if any; a key that
 * holds one is named by the path of its object, so the path itself never carries the number.
 * `exempt` paths (the card number field of a payment) are not searched.
 */
export function cardNumberAt(
  value: unknown,
  exempt: (path: string) => boolean = () => false,
  path = '',
): string | undefined {
  if (exempt(path)) return undefined;
  if (typeof value === 'string') return containsCardNumber(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (containsCardNumber(key)) return path;
    const found = cardNumberAt(item, exempt, path === '' ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
