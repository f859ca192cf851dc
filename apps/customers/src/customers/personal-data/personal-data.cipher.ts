import { randomBytes } from 'node:crypto';
import { RingSealer } from '@finfusion/config';
import type { Metadata } from '@finfusion/contracts';

/** The fields of a customer that identify a person; everything else in its events does not. */
export interface PersonalData {
  email: string;
  name: string | null;
  metadata: Metadata;
}

const DATA_KEY_BYTES = 32;
const DATA_KEY_ID = 'customer';

/** A customer's own random data key, AES-256: deleting it erases every copy sealed under it. */
export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

/**
 * AES-256-GCM under one customer's data key (RingSealer with a ring of that key alone), bound to
 * the customer's id, so a sealed value copied to another customer's event does not open.
 */
export class PersonalDataCipher {
  private readonly sealer: RingSealer;

  constructor(
    readonly customerId: string,
    key: Buffer,
  ) {
    if (key.length !== DATA_KEY_BYTES) throw new Error('a customer data key is 32 bytes');
    this.sealer = new RingSealer([{ id: DATA_KEY_ID, key }], `the data key of ${customerId}`);
  }

  /** iv ‖ ciphertext ‖ tag, in base64, for a jsonb field of the event. */
  seal(data: PersonalData): string {
    const { email, name, metadata } = data;
    const plaintext = JSON.stringify({ email, name, metadata });
    return this.sealer.seal(plaintext, this.customerId).sealed.toString('base64');
  }

  /** Throws when the key is another one or the bytes were altered. */
  open(sealed: string): PersonalData {
    const plaintext = this.sealer.open(
      { keyId: DATA_KEY_ID, sealed: Buffer.from(sealed, 'base64') },
      this.customerId,
    );
    return JSON.parse(plaintext) as PersonalData;
  }
}
