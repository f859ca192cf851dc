import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// How a card's number and CVC cross Kafka from the gateway to payments: sealed with AES-256-GCM
// under a key both share (CARD_TRANSIT_KEY), bound to the merchant. The request topic holds only
// ciphertext, so no broker, log or topic reader ever sees the digits. Each seal names its key's
// id, so payments can hold the new key and the previous ones while a rotation is rolled out.

export interface CardSecrets {
  number: string;
  cvc: string;
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';

/** A 32-byte key from its configured form: 64 hex characters, or any text (hashed to 32 bytes). */
export function cardTransitKey(configured: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(configured)
    ? Buffer.from(configured, 'hex')
    : createHash('sha256').update(configured).digest();
}

/** A short, non-secret id of the key, so a mismatch between gateway and payments is reported. */
export const cardTransitKeyId = (key: Buffer): string =>
  createHash('sha256').update(key).digest('base64url').slice(0, 8);

export function sealCardSecrets(secrets: CardSecrets, key: Buffer, merchantId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(merchantId));
  const plaintext = Buffer.from(JSON.stringify({ n: secrets.number, c: secrets.cvc }));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    VERSION,
    cardTransitKeyId(key),
    iv.toString('base64url'),
    ciphertext.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

/**
 * The secrets, or null when the seal is malformed, for another merchant, or under none of the
 * keys (the current one and those a rotation still accepts).
 */
export function openCardSecrets(
  sealed: string,
  keys: Buffer | readonly Buffer[],
  merchantId: string,
): CardSecrets | null {
  const [version, keyId, iv, ciphertext, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || rest.length > 0) return null;
  const ring: readonly Buffer[] = Buffer.isBuffer(keys) ? [keys] : keys;
  const key = ring.find((candidate) => cardTransitKeyId(candidate) === keyId);
  if (key === undefined) return null;
  if (iv === undefined || ciphertext === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(merchantId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
    const parsed = JSON.parse(plaintext) as { n?: unknown; c?: unknown };
    if (typeof parsed.n !== 'string' || typeof parsed.c !== 'string') return null;
    return { number: parsed.n, cvc: parsed.c };
  } catch {
    return null;
  }
}
