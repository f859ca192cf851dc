import { Injectable } from '@nestjs/common';
import { cardTransitKey, openCardSecrets } from '@finfusion/contracts';
import { PaymentsConfig } from '../../config';
import { PaymentErrors } from '../payment.errors';
import type { Parsed } from './create-payment.request';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Opens the sealed number and CVC of a payments.create payload (see libs/contracts
 * card-transit.ts) into the card the request parser checks. Only this request's memory holds them.
 */
@Injectable()
export class CardTransit {
  /** The current key first, then those a rotation still accepts. */
  private readonly keys: Buffer[];

  constructor(config: PaymentsConfig) {
    this.keys = [config.CARD_TRANSIT_KEY, ...config.CARD_TRANSIT_PREVIOUS_KEYS].map(cardTransitKey);
  }

  open(payload: unknown, merchantId: string): Parsed<unknown> {
    const method = isObject(payload) ? payload.payment_method : undefined;
    const card = isObject(method) ? method.card : undefined;
    if (!isObject(card) || !isObject(payload) || !isObject(method))
      return { ok: true, value: payload };
    const { sealed, ...clear } = card;
    if (typeof sealed !== 'string') {
      return {
        ok: false,
        reply: PaymentErrors.invalidParam(
          'payment_method.card',
          'parameter_invalid',
          'The card must arrive sealed by the gateway.',
        ),
      };
    }
    const secrets = openCardSecrets(sealed, this.keys, merchantId);
    if (secrets === null) {
      return {
        ok: false,
        reply: PaymentErrors.invalidParam(
          'payment_method.card',
          'parameter_invalid',
          'The sealed card could not be opened.',
        ),
      };
    }
    return {
      ok: true,
      value: { ...payload, payment_method: { ...method, card: { ...clear, ...secrets } } },
    };
  }
}
