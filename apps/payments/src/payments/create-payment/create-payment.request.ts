import {
  checkCardNumber,
  CreatePaymentRules,
  CreatePaymentShape,
  isPlainObject,
  missingParameter,
  notAnObject,
  paramOf,
  unknownParameter,
  type CaptureMethod,
  type CardBrand,
  type ErrorReply,
  type FieldProblem,
  type Metadata,
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
  captureMethod: CaptureMethod;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: ErrorReply };

/** Thrown inside the parser, turned into the 400 reply at its edge. */
class Invalid extends Error {
  constructor(readonly reply: ErrorReply) {
    super('invalid request');
  }
}

function refuse(path: string, problem: FieldProblem): never {
  throw new Invalid(PaymentErrors.invalidParam(path, problem.code, problem.message));
}

type Fields = Record<string, unknown>;
type Shaped = keyof typeof CreatePaymentShape;
type RuledField = keyof typeof CreatePaymentRules;

/** The object at `path` of the body, refused unless it has only the fields its shape lists. */
function objectAt(body: Fields, path: Exclude<Shaped, ''>): Fields {
  const value = path.split('.').reduce<unknown>((parent, key) => (parent as Fields)[key], body);
  if (value === undefined || value === null) refuse(path, missingParameter(path));
  if (!isPlainObject(value)) refuse(path, notAnObject(path));
  onlyKnown(value, path);
  return value;
}

function onlyKnown(fields: Fields, path: Shaped): void {
  const known: readonly string[] = CreatePaymentShape[path];
  const unknown = Object.keys(fields).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    const problem = unknownParameter(path === '' ? unknown : `${path}.${unknown}`);
    refuse(problem.param ?? 'body', problem);
  }
}

/** A required field of `fields` (the object at its path's parent), checked by its rule. */
function required(fields: Fields, path: RuledField): unknown {
  const value = fields[path.slice(path.lastIndexOf('.') + 1)];
  if (value === undefined || value === null) refuse(path, missingParameter(path));
  return checked(fields, path, value);
}

function checked(fields: Fields, path: RuledField, value: unknown): unknown {
  const problem = CreatePaymentRules[path](value, fields);
  if (problem !== undefined) refuse(paramOf(path, problem), problem);
  return value;
}

function parseAmount(body: Fields): Money {
  const amount = objectAt(body, 'amount');
  return {
    value: required(amount, 'amount.value') as number,
    currency: required(amount, 'amount.currency') as string,
  };
}

function parseCard(body: Fields): CreatePaymentRequest['card'] {
  required(objectAt(body, 'payment_method'), 'payment_method.type');
  const card = objectAt(body, 'payment_method.card');
  const number = required(card, 'payment_method.card.number') as string;
  const check = checkCardNumber(number);
  if (!check.valid) throw new Error('a card number its rule accepts fails the card check');
  const expMonth = required(card, 'payment_method.card.exp_month') as number;
  const expYear = required(card, 'payment_method.card.exp_year') as number;
  const cvc = required(card, 'payment_method.card.cvc') as string;
  return { number, cvc, expMonth, expYear, brand: check.brand, last4: check.last4 };
}

/** Optional fields: absent and null are the same. */
const optional = (body: Fields, path: 'metadata' | 'customer' | 'capture_method'): unknown =>
  body[path] === undefined || body[path] === null ? undefined : checked(body, path, body[path]);

/**
 * Checks a payments.create payload field by field with the API's rules (libs/contracts), and
 * answers the first problem as a 400 naming the field. The gateway checks first with the same
 * rules; this keeps bad data out whoever the sender is.
 */
export function parseCreatePayment(payload: unknown): Parsed<CreatePaymentRequest> {
  try {
    if (!isPlainObject(payload)) {
      throw new Invalid(
        PaymentErrors.invalidParam(
          'body',
          'parameter_invalid',
          'The request body must be an object.',
        ),
      );
    }
    onlyKnown(payload, '');
    return {
      ok: true,
      value: {
        amount: parseAmount(payload),
        card: parseCard(payload),
        customerId: (optional(payload, 'customer') as string | undefined) ?? null,
        metadata: { ...(optional(payload, 'metadata') as Metadata | undefined) },
        captureMethod:
          (optional(payload, 'capture_method') as CaptureMethod | undefined) ?? 'automatic',
      },
    };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reply: error.reply };
    throw error;
  }
}
