import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { newId, type RequestMeta } from '@finfusion/contracts';
import { PaymentsConfig } from '../../config';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The id of a new refund. Under an Idempotency-Key it is derived from the merchant and the key,
 * so a retry that reaches the service twice names the refund the first one created, and the
 * payment's stream refuses it as existing (`refund_exists`). Keyed with CARD_FINGERPRINT_KEY (a
 * secret the service already keeps stable), so an id reveals nothing of the key that made it.
 */
@Injectable()
export class RefundIds {
  private readonly secret: string;

  constructor(config: PaymentsConfig) {
    this.secret = config.CARD_FINGERPRINT_KEY;
  }

  for({ merchantId, idempotencyKey }: RequestMeta): string {
    if (idempotencyKey === undefined) return newId('re');
    const digest = createHmac('sha256', this.secret)
      .update(`refunds.create\0${merchantId}\0${idempotencyKey}`)
      .digest();
    // 22 base62 characters, as newId's.
    let id = '';
    for (const byte of digest.subarray(0, 22)) id += ALPHABET.charAt(byte % 62);
    return `re_${id}`;
  }
}
