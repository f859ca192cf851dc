import { ValidateBy, type ValidationArguments } from 'class-validator';
import {
  checkCardNumber,
  containsCardNumber,
  cvcLengthOf,
  DAILY_REPORT_MAX_DAYS,
  isCurrencyCode,
  isValidCvc,
  isValidExpMonth,
  isValidExpYear,
  type CardNumberCheck,
} from '@finfusion/contracts';
import { mayHoldCardDigits } from '../validation/card-safe-text';
import { answeredAs } from '../validation/field-error-context';
import { metadataProblem, type MetadataProblem } from '../validation/is-metadata.validator';

// The payments service's request rules (apps/payments create-payment.request.ts and friends),
// checked at the gateway with the same codes, so a bad request is answered before any card
// leaves the gateway. No message here contains the value it judges.

type CardNumberProblem = Extract<CardNumberCheck, { valid: false }>['reason'];

export const CardNumberProblems: Readonly<Record<CardNumberProblem, string>> = {
  not_digits: 'The card number must be 12 to 19 digits, without spaces or dashes.',
  unknown_brand: 'The card number does not belong to a supported card brand.',
  invalid_length: 'The card number has the wrong number of digits for its brand.',
  failed_luhn: 'The card number is not a valid card number.',
};

const fieldsOf = (args: ValidationArguments | undefined): Record<string, unknown> =>
  (args?.object ?? {}) as Record<string, unknown>;

/** Digits only, a supported brand, a length that brand issues, and the Luhn check. */
export const IsCardNumber = (): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCardNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && checkCardNumber(value).valid,
        defaultMessage: (args) => {
          const check = typeof args?.value === 'string' ? checkCardNumber(args.value) : undefined;
          return CardNumberProblems[check?.valid === false ? check.reason : 'not_digits'];
        },
      },
    },
    answeredAs({ code: 'invalid_number' }),
  );

/** The brand of the card's number in the same object, when that number is valid. */
const brandOfSibling = (args: ValidationArguments | undefined) => {
  const number = fieldsOf(args).number;
  if (typeof number !== 'string') return undefined;
  const check = checkCardNumber(number);
  return check.valid ? check.brand : undefined;
};

/**
 * A string of the brand's number of digits: 4 for American Express, 3 for the others. While the
 * number is invalid (reported first) 3 or 4 digits pass.
 */
export const IsCardCvc = (): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCardCvc',
      validator: {
        validate: (value: unknown, args) => {
          if (typeof value !== 'string') return false;
          const brand = brandOfSibling(args);
          return brand === undefined ? /^\d{3,4}$/.test(value) : isValidCvc(value, brand);
        },
        defaultMessage: (args) => {
          const brand = brandOfSibling(args);
          const digits = brand === undefined ? '3 or 4' : String(cvcLengthOf(brand));
          return `The card's security code must be a string of ${digits} digits.`;
        },
      },
    },
    answeredAs({ code: 'invalid_cvc' }),
  );

export const IsExpiryMonth = (): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isExpiryMonth',
      validator: {
        validate: (value: unknown) => isValidExpMonth(value),
        defaultMessage: () => 'exp_month must be an integer from 1 to 12.',
      },
    },
    answeredAs({ code: 'invalid_expiry_month' }),
  );

/** Four digits; a year in the past is valid input, and the payment then fails expired_card. */
export const IsExpiryYear = (): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isExpiryYear',
      validator: {
        validate: (value: unknown) => isValidExpYear(value),
        defaultMessage: () => 'exp_year must be a four-digit year.',
      },
    },
    answeredAs({ code: 'invalid_expiry_year' }),
  );

/** An integer JavaScript represents exactly: amounts are whole minor units. */
export const IsSafeInteger = (message: string): PropertyDecorator =>
  ValidateBy({
    name: 'isSafeInteger',
    validator: {
      validate: (value: unknown) => Number.isSafeInteger(value),
      defaultMessage: () => message,
    },
  });

/** An upper-case ISO 4217 code of a circulating currency (libs/contracts currencies.ts). */
export const IsCurrency = (
  message: string,
  code: 'invalid_currency' | 'parameter_invalid',
): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCurrency',
      validator: {
        validate: (value: unknown) => isCurrencyCode(value),
        defaultMessage: () => message,
      },
    },
    answeredAs({ code }),
  );

/**
 * The API's metadata limits, and no card number in a key or a value: metadata is stored and
 * published. The problem names a key only when the key cannot be part of a card number.
 */
export function paymentMetadataProblem(value: unknown): MetadataProblem | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (containsCardNumber(key) || (typeof entry === 'string' && containsCardNumber(entry))) {
        return { message: 'metadata must not contain card numbers.' };
      }
    }
  }
  const problem = metadataProblem(value);
  if (problem?.key !== undefined && mayHoldCardDigits(problem.key)) {
    return { message: 'metadata has an invalid key or value.' };
  }
  return problem;
}

export const IsPaymentMetadata = (): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isPaymentMetadata',
      validator: {
        validate: (value: unknown) => paymentMetadataProblem(value) === undefined,
        defaultMessage: (args) =>
          paymentMetadataProblem(args?.value)?.message ?? 'metadata is invalid.',
      },
    },
    answeredAs({
      code: 'invalid_metadata',
      subPath: (value) => paymentMetadataProblem(value)?.key,
    }),
  );

// ISO 8601 with a date, a time and an explicit zone: an instant, not a local time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const isInstant = (value: unknown): boolean =>
  typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));

export const IsInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: isInstant,
      defaultMessage: (args) =>
        `${args?.property ?? 'The date'} must be an ISO 8601 date-time with a zone, such as 2026-03-15T00:00:00Z.`,
    },
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

export const IsUtcDay = (): PropertyDecorator =>
  ValidateBy({
    name: 'isUtcDay',
    validator: {
      validate: (value: unknown) => utcDay(value) !== undefined,
      defaultMessage: (args) => `${args?.property ?? 'The day'} must be a UTC day, YYYY-MM-DD.`,
    },
  });

/** The end of a report's range: not before `from`, at most DAILY_REPORT_MAX_DAYS days after. */
export const IsReportEnd = (): PropertyDecorator =>
  ValidateBy({
    name: 'isReportEnd',
    validator: {
      validate: (value: unknown, args) => {
        const from = utcDay(fieldsOf(args).from);
        const to = utcDay(value);
        if (from === undefined || to === undefined) return true; // reported by IsUtcDay
        return to >= from && (to - from) / MS_PER_DAY + 1 <= DAILY_REPORT_MAX_DAYS;
      },
      defaultMessage: (args) =>
        (utcDay(args?.value) ?? 0) < (utcDay(fieldsOf(args).from) ?? 0)
          ? 'to must not be before from.'
          : `A report covers at most ${DAILY_REPORT_MAX_DAYS} days.`,
    },
  });
