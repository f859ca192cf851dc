import { Injectable } from '@nestjs/common';
import {
  cardTransitKey,
  sealCardSecrets,
  type CardDetails,
  type CreatePaymentPayload,
  type SealedCardDetails,
} from '@finfusion/contracts';
import { GatewayConfig } from '../config';
import type { CreatePaymentRequest } from './payment.requests';

/**
 * Seals a card's number and CVC for their trip over Kafka to payments (libs/contracts
 * card-transit.ts), bound to the merchant. The key is derived once, at start-up.
 */
@Injectable()
export class CardSealer {
  private readonly key: Buffer;

  constructor(config: GatewayConfig) {
    this.key = cardTransitKey(config.CARD_TRANSIT_KEY);
  }

  seal(card: CardDetails, merchantId: string): SealedCardDetails {
    const { number, cvc, exp_month, exp_year } = card;
    return { exp_month, exp_year, sealed: sealCardSecrets({ number, cvc }, this.key, merchantId) };
  }
}

/** payments.create's payload: the validated body with the card sealed; nothing else added. */
export function createPaymentPayload(
  body: CreatePaymentRequest,
  sealCard: (card: CardDetails) => SealedCardDetails,
): CreatePaymentPayload {
  const { amount, payment_method, customer, metadata, capture_method } = body;
  const { number, exp_month, exp_year, cvc } = payment_method.card;
  const payload: CreatePaymentPayload = {
    amount: { value: amount.value, currency: amount.currency },
    payment_method: { type: 'card', card: sealCard({ number, exp_month, exp_year, cvc }) },
  };
  if (customer !== undefined && customer !== null) payload.customer = customer;
  if (metadata !== undefined && metadata !== null) payload.metadata = metadata;
  if (capture_method !== undefined) payload.capture_method = capture_method;
  return payload;
}
