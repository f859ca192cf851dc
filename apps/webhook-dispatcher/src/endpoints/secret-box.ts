import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Endpoint signing secrets are kept sealed with AES-256-GCM under a key of the dispatcher's own
// (WEBHOOK_SECRET_KEYS), so a copy of the database alone cannot forge webhooks.

export interface SecretKey {
  id: string;
  key: Buffer;
}

/** A secret as stored: `keyId` null for one written before secrets were sealed (plaintext). */
export interface StoredSecret {
  endpointId: string;
  keyId: string | null;
  secret: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** 32 bytes written as 64 hex characters or as base64 (base64url too), or undefined. */
function decodeKeyBytes(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) return Buffer.from(value, 'base64');
  if (/^[A-Za-z0-9_-]{43}$/.test(value)) return Buffer.from(value, 'base64url');
  return undefined;
}

/**
 * `id:key,id:key,…`: the first key seals, every key opens. Throws an error saying what is wrong,
 * without the value.
 */
export function parseSecretKeys(value: string): SecretKey[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) throw new Error('must list at least one key as id:key');
  const keys = items.map((item, index) => {
    const colon = item.indexOf(':');
    const id = colon < 0 ? '' : item.slice(0, colon);
    if (!KEY_ID.test(id)) {
      throw new Error(`key ${index + 1} must be written id:key, the id 1-32 of A-Z a-z 0-9 _ . -`);
    }
    const key = decodeKeyBytes(item.slice(colon + 1));
    if (key === undefined) {
      throw new Error(`key '${id}' must be 32 bytes as 64 hex or 44 base64 characters`);
    }
    return { id, key };
  });
  const ids = new Set(keys.map((key) => key.id));
  if (ids.size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

/** Seals with the current key; opens with any configured key, or a legacy plaintext value. */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: SecretKey;

  constructor(keys: readonly SecretKey[]) {
    const [current] = keys;
    if (current === undefined) throw new Error('a secret box needs a key');
    this.current = current;
    this.keys = new Map(keys.map((key) => [key.id, key.key]));
  }

  static fromConfig(value: string): SecretBox {
    return new SecretBox(parseSecretKeys(value));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** The endpoint id is authenticated with it: a sealed secret moved to another endpoint fails. */
  seal(endpointId: string, secret: string): StoredSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(endpointId, 'utf8'));
    const sealed = Buffer.concat([
      iv,
      cipher.update(secret, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { endpointId, keyId: this.current.id, secret: sealed.toString('base64') };
  }

  open(stored: StoredSecret): string {
    if (stored.keyId === null) return stored.secret;
    const key = this.keys.get(stored.keyId);
    if (key === undefined) {
      throw new Error(
        `a secret of endpoint ${stored.endpointId} is sealed with key '${stored.keyId}', ` +
          'which WEBHOOK_SECRET_KEYS does not list',
      );
    }
    const sealed = Buffer.from(stored.secret, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(stored.endpointId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Whether a stored secret should be sealed again: plaintext, or under an older key. */
  isStale(stored: Pick<StoredSecret, 'keyId'>): boolean {
    return stored.keyId !== this.current.id;
  }
}
