import { parseKeyRing, RingSealer, type RingKey } from '@finfusion/config';

// Endpoint signing secrets are kept sealed with AES-256-GCM under a key ring of the dispatcher's
// own (WEBHOOK_SECRET_KEYS), so a copy of the database alone cannot forge webhooks.

/** A secret as stored: `keyId` null for one written before secrets were sealed (plaintext). */
export interface StoredSecret {
  endpointId: string;
  keyId: string | null;
  secret: string;
}

/** Seals with the current key; opens with any key of the ring, or a legacy plaintext value. */
export class SecretBox {
  private readonly sealer: RingSealer;

  constructor(keys: readonly RingKey[]) {
    this.sealer = new RingSealer(keys, 'WEBHOOK_SECRET_KEYS');
  }

  static fromConfig(value: string): SecretBox {
    return new SecretBox(parseKeyRing(value));
  }

  get currentKeyId(): string {
    return this.sealer.currentKeyId;
  }

  /** The endpoint id is authenticated with it: a sealed secret moved to another endpoint fails. */
  seal(endpointId: string, secret: string): StoredSecret {
    const { keyId, sealed } = this.sealer.seal(secret, endpointId);
    return { endpointId, keyId, secret: sealed.toString('base64') };
  }

  open(stored: StoredSecret): string {
    if (stored.keyId === null) return stored.secret;
    const sealed = Buffer.from(stored.secret, 'base64');
    return this.sealer.open({ keyId: stored.keyId, sealed }, stored.endpointId);
  }

  /** Whether a stored secret should be sealed again: plaintext, or under an older key. */
  isStale(stored: Pick<StoredSecret, 'keyId'>): boolean {
    return stored.keyId !== this.currentKeyId;
  }
}
