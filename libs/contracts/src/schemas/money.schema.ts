import { CurrencyCodes, MAX_AMOUNT, MIN_AMOUNT } from '../currencies';
import type { SchemaOf } from './common.schema';

// The type says string: stored rows hold one, and a payment's currency is checked where it is
// created. The schema still lists the codes.
const currencyCodes: readonly string[] = CurrencyCodes;

/** ISO 4217, upper case. */
export const currencySchema = {
  type: 'string',
  enum: currencyCodes,
  description: 'ISO 4217, upper case.',
  examples: ['USD'],
} as const satisfies SchemaOf;

export const moneySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'currency'],
  properties: {
    value: {
      type: 'integer',
      minimum: MIN_AMOUNT,
      maximum: MAX_AMOUNT,
      description: "In the currency's minor unit: 1000 is 10.00 USD, or 1000 JPY.",
      examples: [1000],
    },
    currency: currencySchema,
  },
} as const satisfies SchemaOf;

/** A running total of a payment's money (captured, refunded): like an amount, but may be 0. */
export const moneyTotalSchema = {
  ...moneySchema,
  properties: {
    ...moneySchema.properties,
    value: { ...moneySchema.properties.value, minimum: 0 },
  },
} as const satisfies SchemaOf;
