// The rules of the payments requests, field by field: POST /v2/payments (payments.create), its
// capture and cancellation (payments.capture, payments.cancel), the list filters (payments.list)
// and the daily report (payments.report-daily).
import {
  checkCardNumber,
  cvcLengthOf,
  isValidCvc,
  isValidExpMonth,
  isValidExpYear,
  type CardNumberCheck,
} from '../cards';
import { isCurrencyCode, MAX_AMOUNT, MIN_AMOUNT } from '../currencies';
import { idPattern } from '../ids';
import {
  CaptureMethods,
  DAILY_REPORT_MAX_DAYS,
  PaymentStatuses,
  RequestedCancellationReasons,
} from '../payments';
import { fieldProblem, ruleTable, type FieldRule } from './field-rule';
import { idCursorRule, oneOfRule, type CursorName } from './list.rules';
import { metadataRule } from './metadata.rules';

type CardNumberProblem = Extract<CardNumberCheck, { valid: false }>['reason'];

const CardNumberProblems: Readonly<Record<CardNumberProblem, string>> = {
  not_digits: 'The card number must be 12 to 19 digits, without spaces or dashes.',
  unknown_brand: 'The card number does not belong to a supported card brand.',
  invalid_length: 'The card number has the wrong number of digits for its brand.',
  failed_luhn: 'The card number is not a valid card number.',
};

const currencyRule =
  (message: string, code: 'invalid_currency' | 'parameter_invalid'): FieldRule =>
  (value) =>
    isCurrencyCode(value) ? undefined : fieldProblem(message, code);

/** The brand of a valid card number; undefined while the number is invalid. */
const brandOf = (number: unknown) => {
  if (typeof number !== 'string') return undefined;
  const check = checkCardNumber(number);
  return check.valid ? check.brand : undefined;
};

/**
 * An amount of a payment, or taken from one (captured, refunded): an integer in the payment's minor unit,
 * within the API's limits. Whether the payment has that much is the payment's to say.
 */
export const partialAmountRule =
  (name: string): FieldRule =>
  (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return fieldProblem(`${name} must be an integer in the currency's minor unit.`);
    }
    if (value < MIN_AMOUNT) {
      return fieldProblem(`${name} must be at least ${MIN_AMOUNT}.`, 'amount_too_small');
    }
    if (value > MAX_AMOUNT) {
      return fieldProblem(`${name} must be at most ${MAX_AMOUNT}.`, 'amount_too_large');
    }
    return undefined;
  };

/** POST /v2/payments, by the field's dotted path. */
export const CreatePaymentRules = ruleTable({
  /** An integer JavaScript represents exactly, in the currency's minor unit, within the limits. */
  'amount.value': partialAmountRule('amount.value'),

  /** An upper-case ISO 4217 code of a circulating currency. */
  'amount.currency': currencyRule(
    'amount.currency must be an ISO 4217 code in upper case, such as USD.',
    'invalid_currency',
  ),

  'payment_method.type': (value) =>
    value === 'card' ? undefined : fieldProblem('payment_method.type must be "card".'),

  /** Digits only, a supported brand, a length that brand issues, and the Luhn check. */
  'payment_method.card.number': (value) => {
    if (typeof value !== 'string')
      return fieldProblem('The card number must be a string of digits.');
    const check = checkCardNumber(value);
    return check.valid
      ? undefined
      : fieldProblem(CardNumberProblems[check.reason], 'invalid_number');
  },

  'payment_method.card.exp_month': (value) =>
    isValidExpMonth(value)
      ? undefined
      : fieldProblem('exp_month must be an integer from 1 to 12.', 'invalid_expiry_month'),

  /** Four digits; a year in the past is valid input, and the payment then fails expired_card. */
  'payment_method.card.exp_year': (value) =>
    isValidExpYear(value)
      ? undefined
      : fieldProblem('exp_year must be a four-digit year.', 'invalid_expiry_year'),

  /**
   * A string of the brand's number of digits: 4 for American Express, 3 for the others. While the
   * card's number is invalid (reported first) 3 or 4 digits pass.
   */
  'payment_method.card.cvc': (value, card) => {
    const brand = brandOf(card.number);
    const valid =
      typeof value === 'string' &&
      (brand === undefined ? /^\d{3,4}$/.test(value) : isValidCvc(value, brand));
    if (valid) return undefined;
    const digits = brand === undefined ? '3 or 4' : String(cvcLengthOf(brand));
    return fieldProblem(
      `The card's security code must be a string of ${digits} digits.`,
      'invalid_cvc',
    );
  },

  /** A customer id; one that cannot be an id is no customer of the merchant's either. */
  customer: (value) => {
    if (typeof value !== 'string') return fieldProblem('customer must be a customer id.');
    return idPattern('cust').test(value)
      ? undefined
      : fieldProblem('No such customer.', 'resource_missing');
  },

  /** The API's metadata limits, and no card number in a key or a value: metadata is published. */
  metadata: metadataRule({ code: 'invalid_metadata', refuseCardNumbers: true }),

  /** `automatic` (the default) or `manual`: authorize only, and capture later. */
  capture_method: oneOfRule('capture_method', CaptureMethods),
});

/** The fields of each object of a create request, in the order they are checked. */
export const CreatePaymentShape = {
  '': ['amount', 'payment_method', 'metadata', 'customer', 'capture_method'],
  amount: ['value', 'currency'],
  payment_method: ['type', 'card'],
  'payment_method.card': ['number', 'exp_month', 'exp_year', 'cvc'],
} as const;

/** POST /v2/payments/{id}/capture (payments.capture); absent, the whole amount is captured. */
export const CapturePaymentRules = ruleTable({
  amount_to_capture: partialAmountRule('amount_to_capture'),
});

/** POST /v2/payments/{id}/cancel (payments.cancel). */
export const CancelPaymentRules = ruleTable({
  cancellation_reason: oneOfRule('cancellation_reason', RequestedCancellationReasons),
});

/** A payment's id, as a request names it (capture, cancel, a refund's `payment`). */
export const isPaymentId = (value: unknown): value is string =>
  typeof value === 'string' && idPattern('pay').test(value);

// ISO 8601 with a date, a time and an explicit zone: an instant, not a local time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant an ISO 8601 date-time with a zone names, or undefined. */
export function instantOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const instantRule =
  (name: string): FieldRule =>
  (value) => {
    if (typeof value !== 'string') return fieldProblem(`${name} must be an ISO 8601 date-time.`);
    return instantOf(value) === undefined
      ? fieldProblem(
          `${name} must be an ISO 8601 date-time with a zone, such as 2026-03-15T00:00:00Z.`,
        )
      : undefined;
  };

const paymentCursor = (name: CursorName) => idCursorRule(name, 'pay', 'a payment id');

/** GET /v2/payments filters (payments.list), by their HTTP names. */
export const ListPaymentsRules = ruleTable({
  starting_after: paymentCursor('starting_after'),
  ending_before: paymentCursor('ending_before'),
  status: oneOfRule('status', PaymentStatuses),
  customer: (value) =>
    typeof value === 'string' && idPattern('cust').test(value)
      ? undefined
      : fieldProblem('customer must be a customer id.'),
  'created[gte]': instantRule('created[gte]'),
  'created[lte]': instantRule('created[lte]'),
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** A real calendar day `YYYY-MM-DD` as epoch milliseconds: 2026-02-30 is refused, not rolled. */
export function utcDay(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DAY.test(value)) return undefined;
  const time = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) return undefined;
  return time;
}

const dayRule =
  (name: string): FieldRule =>
  (value) =>
    utcDay(value) === undefined
      ? fieldProblem(`${name} must be a UTC day, YYYY-MM-DD.`)
      : undefined;

/** GET /v2/reports/daily (payments.report-daily): inclusive UTC days, at most 366 of them. */
export const DailyReportRules = ruleTable({
  from: dayRule('from'),
  /** A day not before `from`, at most DAILY_REPORT_MAX_DAYS days after it, counting both. */
  to: (value, query) => {
    const problem = dayRule('to')(value, query);
    const from = utcDay(query.from);
    const to = utcDay(value);
    if (problem !== undefined || from === undefined || to === undefined) return problem;
    if (to < from) return fieldProblem('to must not be before from.');
    if ((to - from) / MS_PER_DAY + 1 > DAILY_REPORT_MAX_DAYS) {
      return fieldProblem(`A report covers at most ${DAILY_REPORT_MAX_DAYS} days.`);
    }
    return undefined;
  },
  currency: currencyRule(
    'currency must be an ISO 4217 code in upper case, such as USD.',
    'parameter_invalid',
  ),
});
