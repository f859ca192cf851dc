import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'sk_test_';

/** 32 base62 characters: about 190 bits of randomness (at least 128 are required). */
export const API_KEY_SECRET_LENGTH = 32;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Accepts longer secrets than we issue, so a future key format does not need a new parser.
const API_KEY_FORMAT = /^sk_test_[0-9A-Za-z]{22,128}$/;

/** A new secret API key. randomInt draws without modulo bias. */
export function generateApiKey(): string {
  let secret = '';
  for (let i = 0; i < API_KEY_SECRET_LENGTH; i++) secret += ALPHABET.charAt(randomInt(62));
  return `${API_KEY_PREFIX}${secret}`;
}

export const isWellFormedApiKey = (key: string): boolean => API_KEY_FORMAT.test(key);

/** What is stored instead of the key: its SHA-256, hex. A key has enough entropy for no salt. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The part of a key that may be shown again later, to tell keys apart: `sk_test_AbCd`. */
export const displayPrefixOf = (key: string): string => key.slice(0, API_KEY_PREFIX.length + 4);

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

export type Credentials =
  { kind: 'missing' } | { kind: 'malformed' } | { kind: 'api_key'; key: string };

/** Reads `Authorization: Bearer <key>`; the scheme is case-insensitive (RFC 9110). */
export function credentialsOf(authorization: string | undefined): Credentials {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'missing' };
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  const key = match?.[1];
  if (key === undefined || !isWellFormedApiKey(key)) return { kind: 'malformed' };
  return { kind: 'api_key', key };
}
