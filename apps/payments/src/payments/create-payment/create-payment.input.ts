import { Injectable } from '@nestjs/common';
import { CardFingerprints } from '../card-fingerprints';
import { CardTransit } from './card-transit';
import type { CreateAttempt } from './create-idempotency';
import { parseCreatePayment, type Parsed } from './create-payment.request';

/**
 * A payments.create payload as the handler works with it: the sealed card opened, every field
 * checked, and the card's fingerprint, which recognises it without keeping its number.
 */
@Injectable()
export class CreatePaymentInput {
  constructor(
    private readonly cardTransit: CardTransit,
    private readonly fingerprints: CardFingerprints,
  ) {}

  read(payload: unknown, merchantId: string): Parsed<CreateAttempt> {
    const opened = this.cardTransit.open(payload, merchantId);
    if (!opened.ok) return opened;
    const parsed = parseCreatePayment(opened.value);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    return { ok: true, value: { request, fingerprint: this.fingerprints.of(request.card.number) } };
  }
}
