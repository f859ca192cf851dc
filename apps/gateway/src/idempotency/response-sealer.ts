import { parseKeyRing, RingSealer } from '@finfusion/config';

/**
 * Encrypts kept responses (AES-256-GCM): a webhook endpoint's creation or rotation answers with
 * its signing secret, and no secret sits in the table in plaintext. The record's merchant and
 * key are authenticated with it, so a sealed body cannot be replayed under another record.
 */
export class ResponseSealer extends RingSealer {
  /** `configured`: the `<id>:<key>` items of IDEMPOTENCY_ENCRYPTION_KEYS, the first one seals. */
  constructor(configured: readonly string[]) {
    super(parseKeyRing(configured.join(',')), 'IDEMPOTENCY_ENCRYPTION_KEYS');
  }
}
