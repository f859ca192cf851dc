import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PaymentsConfig } from '../config';

/**
 * HMAC-SHA256 of a card number under CARD_FINGERPRINT_KEY. The same card always gets the same
 * fingerprint, and without the key a fingerprint cannot be matched against guessed numbers
 * (a plain hash could: card numbers have too little entropy).
 */
@Injectable()
export class CardFingerprints {
  private readonly key: string;

  constructor(config: PaymentsConfig) {
    this.key = config.CARD_FINGERPRINT_KEY;
  }

  of(cardNumber: string): string {
    return createHmac('sha256', this.key).update(cardNumber).digest('hex');
  }
}
