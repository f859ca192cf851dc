import { createHmac, hkdfSync } from 'node:crypto';
import { cardTransitKey } from '@finfusion/contracts';

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order or
 * whitespace are the same request. Arrays keep their order; an absent body is `null`.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The request fingerprint kept with an Idempotency-Key: HMAC-SHA256 of the canonical body, hex.
 * Keyed, because a payment's body holds a card: a plain hash beside the stored brand, last4 and
 * expiry would let anyone who reads the table search the remaining digits and the CVC.
 */
export const requestHash = (body: unknown, key: Buffer): string =>
  createHmac('sha256', key).update(canonicalJson(body)).digest('hex');

/** The fingerprint key: derived from CARD_TRANSIT_KEY, which guards the same card data. */
export const requestHashKey = (cardTransitKeySetting: string): Buffer =>
  Buffer.from(
    hkdfSync(
      'sha256',
      cardTransitKey(cardTransitKeySetting),
      Buffer.alloc(0),
      'finfusion idempotency request hash',
      32,
    ),
  );
