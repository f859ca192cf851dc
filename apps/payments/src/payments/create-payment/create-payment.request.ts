import {
  characterCount,
  checkCardNumber,
  containsCardNumber,
  cvcLengthOf,
  idPattern,
  isCurrencyCode,
  isValidCvc,
  isValidExpMonth,
  isValidExpYear,
  MAX_AMOUNT,
  MetadataLimits,
  MIN_AMOUNT,
  type CardBrand,
  type CardNumberCheck,
  type ErrorReply,
  type Metadata,
  type PaymentRequestErrorCode,
} from '@finfusion/contracts';
import type { Money } from '../domain/payment.events';
import { PaymentErrors } from '../payment.errors';

/** A create request that passed every check. The card's number and CVC stay in memory only. */
export interface CreatePaymentRequest {
  amount: Money;
  card: {
    number: string;
    cvc: string;
    expMonth: number;
    expYear: number;
    brand: CardBrand;
    last4: string;
  };
  customerId: string | null;
  metadata: Metadata;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: ErrorReply };

/** Thrown inside the parser, turned into the 400 reply at its edge. */
class Invalid extends Error {
  constructor(readonly reply: ErrorReply) {
    super('invalid request');
  }
}

function invalid(param: string, code: PaymentRequestErrorCode, message: string): never {
  throw new Invalid(PaymentErrors.invalidParam(param, code, message));
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function objectAt(parent: Fields, key: string, path: string): Fields {
  const value = parent[key];
  if (value === undefined || value === null) {
    invalid(path, 'parameter_missing', `${path} is required.`);
  }
  if (!isObject(value)) invalid(path, 'parameter_invalid', `${path} must be an object.`);
  return value;
}

// A field name is echoed in `param` only when it looks like one: a card number typed as a key
// (or a metadata key) must not come back in the error.
const SHOWABLE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;
const showable = (key: string): boolean => SHOWABLE_KEY.test(key) && !/\d{6}/.test(key);

function onlyKnown(fields: Fields, known: readonly string[], prefix: string): void {
  const unknown = Object.keys(fields).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    const path = showable(unknown) ? (prefix === '' ? unknown : `${prefix}.${unknown}`) : prefix;
    invalid(path === '' ? 'body' : path, 'parameter_unknown', 'Unknown parameter.');
  }
}

function required(fields: Fields, key: string, path: string): unknown {
  const value = fields[key];
  if (value === undefined || value === null) {
    invalid(path, 'parameter_missing', `${path} is required.`);
  }
  return value;
}

const NUMBER_PROBLEMS: Record<Extract<CardNumberCheck, { valid: false }>['reason'], string> = {
  not_digits: 'The card number must be 12 to 19 digits, without spaces or dashes.',
  unknown_brand: 'The card number does not belong to a supported card brand.',
  invalid_length: 'The card number has the wrong number of digits for its brand.',
  failed_luhn: 'The card number is not a valid card number.',
};

function parseAmount(body: Fields): Money {
  const amount = objectAt(body, 'amount', 'amount');
  onlyKnown(amount, ['value', 'currency'], 'amount');
  const value = required(amount, 'value', 'amount.value');
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    invalid(
      'amount.value',
      'parameter_invalid',
      "amount.value must be an integer in the currency's minor unit.",
    );
  }
  if (value < MIN_AMOUNT) {
    invalid('amount.value', 'amount_too_small', `amount.value must be at least ${MIN_AMOUNT}.`);
  }
  if (value > MAX_AMOUNT) {
    invalid('amount.value', 'amount_too_large', `amount.value must be at most ${MAX_AMOUNT}.`);
  }
  const currency = required(amount, 'currency', 'amount.currency');
  if (!isCurrencyCode(currency)) {
    invalid(
      'amount.currency',
      'invalid_currency',
      'amount.currency must be an ISO 4217 code in upper case, such as USD.',
    );
  }
  return { value, currency };
}

function parseCard(body: Fields): CreatePaymentRequest['card'] {
  const method = objectAt(body, 'payment_method', 'payment_method');
  onlyKnown(method, ['type', 'card'], 'payment_method');
  if (required(method, 'type', 'payment_method.type') !== 'card') {
    invalid('payment_method.type', 'parameter_invalid', 'payment_method.type must be "card".');
  }
  const card = objectAt(method, 'card', 'payment_method.card');
  onlyKnown(card, ['number', 'exp_month', 'exp_year', 'cvc'], 'payment_method.card');

  const number = required(card, 'number', 'payment_method.card.number');
  if (typeof number !== 'string') {
    invalid(
      'payment_method.card.number',
      'parameter_invalid',
      'The card number must be a string of digits.',
    );
  }
  const check = checkCardNumber(number);
  if (!check.valid) {
    invalid('payment_method.card.number', 'invalid_number', NUMBER_PROBLEMS[check.reason]);
  }
  const { brand, last4 } = check;

  const expMonth = required(card, 'exp_month', 'payment_method.card.exp_month');
  if (!isValidExpMonth(expMonth)) {
    invalid(
      'payment_method.card.exp_month',
      'invalid_expiry_month',
      'exp_month must be an integer from 1 to 12.',
    );
  }
  const expYear = required(card, 'exp_year', 'payment_method.card.exp_year');
  if (!isValidExpYear(expYear)) {
    invalid(
      'payment_method.card.exp_year',
      'invalid_expiry_year',
      'exp_year must be a four-digit year.',
    );
  }
  const cvc = required(card, 'cvc', 'payment_method.card.cvc');
  if (typeof cvc !== 'string' || !isValidCvc(cvc, brand)) {
    invalid(
      'payment_method.card.cvc',
      'invalid_cvc',
      `The card's security code must be a string of ${cvcLengthOf(brand)} digits.`,
    );
  }
  return {
    number,
    cvc,
    expMonth,
    expYear,
    brand,
    last4,
  };
}

/** The API's metadata limits: at most 50 keys, keys up to 40 characters, string values up to 500. */
function parseMetadata(body: Fields): Metadata {
  const metadata = body.metadata;
  if (metadata === undefined || metadata === null) return {};
  if (!isObject(metadata)) {
    invalid('metadata', 'invalid_metadata', 'metadata must be an object of strings.');
  }
  const entries = Object.entries(metadata);
  if (entries.length > MetadataLimits.maxKeys) {
    invalid(
      'metadata',
      'invalid_metadata',
      `metadata can have at most ${MetadataLimits.maxKeys} keys.`,
    );
  }
  for (const [key, value] of entries) {
    const param = showable(key) ? `metadata.${key}` : 'metadata';
    if (key.length === 0 || characterCount(key) > MetadataLimits.maxKeyLength) {
      invalid(
        'metadata',
        'invalid_metadata',
        `metadata keys must be 1 to ${MetadataLimits.maxKeyLength} characters.`,
      );
    }
    if (typeof value !== 'string') {
      invalid(param, 'invalid_metadata', 'metadata values must be strings.');
    }
    if (characterCount(value) > MetadataLimits.maxValueLength) {
      invalid(
        param,
        'invalid_metadata',
        `metadata values can be at most ${MetadataLimits.maxValueLength} characters.`,
      );
    }
    // Metadata is stored and published: a card number in it would defeat everything else here.
    if (containsCardNumber(key) || containsCardNumber(value)) {
      invalid('metadata', 'invalid_metadata', 'metadata must not contain card numbers.');
    }
  }
  return Object.fromEntries(entries) as Metadata;
}

function parseCustomer(body: Fields): string | null {
  const customer = body.customer;
  if (customer === undefined || customer === null) return null;
  if (typeof customer !== 'string') {
    invalid('customer', 'parameter_invalid', 'customer must be a customer id.');
  }
  if (!idPattern('cust').test(customer)) throw new Invalid(PaymentErrors.unknownCustomer());
  return customer;
}

/**
 * Checks a payments.create payload field by field and answers the first problem as a 400 naming
 * the field. The gateway validates first; this keeps bad data out whoever the sender is.
 */
export function parseCreatePayment(payload: unknown): Parsed<CreatePaymentRequest> {
  try {
    if (!isObject(payload)) {
      invalid('body', 'parameter_invalid', 'The request body must be an object.');
    }
    onlyKnown(payload, ['amount', 'payment_method', 'metadata', 'customer'], '');
    return {
      ok: true,
      value: {
        amount: parseAmount(payload),
        card: parseCard(payload),
        customerId: parseCustomer(payload),
        metadata: parseMetadata(payload),
      },
    };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reply: error.reply };
    throw error;
  }
}
