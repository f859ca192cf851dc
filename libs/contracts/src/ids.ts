import { randomBytes } from 'node:crypto';

export const IdPrefixes = {
  customer: 'cust',
  payment: 'pay',
  paymentMethod: 'pm',
  refund: 're',
  event: 'evt',
  webhookEndpoint: 'whk',
  webhookDelivery: 'whd',
  merchant: 'mer',
  apiKey: 'key',
  request: 'req',
} as const;

export type IdPrefix = (typeof IdPrefixes)[keyof typeof IdPrefixes];

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `<prefix>_` + 22 base62 characters (about 131 bits of randomness). */
export function newId(prefix: IdPrefix): string {
  const bytes = randomBytes(22);
  let out = '';
  for (const byte of bytes) out += ALPHABET.charAt(byte % 62);
  return `${prefix}_${out}`;
}

export const idPattern = (prefix: IdPrefix): RegExp => new RegExp(`^${prefix}_[0-9A-Za-z]{1,64}$`);
