import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { decodeKey } from '@finfusion/config';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `<id>:<secret>`: the id names the key in each record it sealed, so keys can be rotated. */
export const SEALING_KEY_FORMAT = /^([A-Za-z0-9_.-]{1,32}):(.{32,})$/s;

export interface SealedResponse {
  keyId: string;
  /** iv ‖ tag ‖ ciphertext */
  sealed: Buffer;
}

interface SealingKey {
  id: string;
  key: Buffer;
}

/**
 * Encrypts kept responses (AES-256-GCM): a webhook endpoint's creation or rotation answers with
 * its signing secret, and no secret sits in the table in plaintext. The record's merchant and
 * key are authenticated with it, so a sealed body cannot be replayed under another record.
 */
export class ResponseSealer {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: SealingKey;

  /** `configured`: `<id>:<secret>` items, the first one seals, every one opens. */
  constructor(configured: readonly string[]) {
    const keys = configured.map(parseSealingKey);
    const [current] = keys;
    if (current === undefined) throw new Error('at least one sealing key is needed');
    this.current = current;
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
  }

  seal(body: string, context: string): SealedResponse {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return {
      keyId: this.current.id,
      sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]),
    };
  }

  /** The body; throws when the key is no longer configured or the bytes were altered. */
  open({ keyId, sealed }: SealedResponse, context: string): string {
    const key = this.keys.get(keyId);
    if (key === undefined) throw new Error(`no idempotency sealing key with id ${keyId}`);
    const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** 32 random bytes as hex or base64 are the key; other text (development) is hashed to one. */
function parseSealingKey(item: string): SealingKey {
  const match = SEALING_KEY_FORMAT.exec(item);
  if (!match?.[1] || !match[2]) throw new Error('a sealing key is written <id>:<secret>');
  const secret = match[2];
  return { id: match[1], key: decodeKey(secret) ?? createHash('sha256').update(secret).digest() };
}
