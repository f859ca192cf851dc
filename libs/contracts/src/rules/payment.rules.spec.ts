import { MAX_AMOUNT } from '../currencies';
import type { FieldRule } from './field-rule';
import {
  CancelPaymentRules,
  CapturePaymentRules,
  CreatePaymentRules,
  DailyReportRules,
  ListPaymentsRules,
  instantOf,
  utcDay,
} from './payment.rules';

const VISA = '4716190207394368';
const AMEX = '378282246310005';

/** The code of the problem a rule finds, or 'ok'. */
const codeOf = (rule: FieldRule, value: unknown, fields: Record<string, unknown> = {}) =>
  rule(value, fields)?.code ?? 'ok';

type Field = keyof typeof CreatePaymentRules;

describe('CreatePaymentRules', () => {
  // One line per case, so the table reads as the list of rules it is.
  // prettier-ignore
  it.each<[Field, unknown, string]>([
    ['amount.value', 1000, 'ok'],
    ['amount.value', 1, 'ok'],
    ['amount.value', MAX_AMOUNT, 'ok'],
    ['amount.value', '1000', 'parameter_invalid'],
    ['amount.value', 10.5, 'parameter_invalid'],
    ['amount.value', 2 ** 53, 'parameter_invalid'],
    ['amount.value', 0, 'amount_too_small'],
    ['amount.value', -5, 'amount_too_small'],
    ['amount.value', MAX_AMOUNT + 1, 'amount_too_large'],
    ['amount.currency', 'USD', 'ok'],
    ['amount.currency', 'JPY', 'ok'],
    ['amount.currency', 'usd', 'invalid_currency'],
    ['amount.currency', 'XYZ', 'invalid_currency'],
    ['amount.currency', 'USN', 'invalid_currency'],
    ['amount.currency', 840, 'invalid_currency'],
    ['payment_method.type', 'card', 'ok'],
    ['payment_method.type', 'sepa_debit', 'parameter_invalid'],
    ['payment_method.card.number', VISA, 'ok'],
    ['payment_method.card.number', AMEX, 'ok'],
    ['payment_method.card.number', '2223003122003222', 'ok'],
    ['payment_method.card.number', Number(VISA), 'parameter_invalid'],
    ['payment_method.card.number', '4716190207394369', 'invalid_number'],
    ['payment_method.card.number', '4716 1902 0739 4368', 'invalid_number'],
    ['payment_method.card.number', '4716-1902-0739-4368', 'invalid_number'],
    ['payment_method.card.number', '9999999999999995', 'invalid_number'],
    ['payment_method.card.number', '42424242424242', 'invalid_number'],
    ['payment_method.card.number', '42424242424242424242', 'invalid_number'],
    ['payment_method.card.number', '', 'invalid_number'],
    ['payment_method.card.exp_month', 1, 'ok'],
    ['payment_method.card.exp_month', 12, 'ok'],
    ['payment_method.card.exp_month', 0, 'invalid_expiry_month'],
    ['payment_method.card.exp_month', 13, 'invalid_expiry_month'],
    ['payment_method.card.exp_month', '12', 'invalid_expiry_month'],
    ['payment_method.card.exp_year', 2030, 'ok'],
    ['payment_method.card.exp_year', 2020, 'ok'],
    ['payment_method.card.exp_year', 30, 'invalid_expiry_year'],
    ['payment_method.card.exp_year', 20300, 'invalid_expiry_year'],
    ['payment_method.card.exp_year', 2030.5, 'invalid_expiry_year'],
    ['customer', 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw', 'ok'],
    ['customer', 42, 'parameter_invalid'],
    ['customer', 'pay_123', 'resource_missing'],
    ['customer', 'bob', 'resource_missing'],
    ['capture_method', 'automatic', 'ok'],
    ['capture_method', 'manual', 'ok'],
    ['capture_method', 'Manual', 'parameter_invalid'],
    ['capture_method', 'later', 'parameter_invalid'],
    ['capture_method', true, 'parameter_invalid'],
  ])('%s: %p is %s', (field, value, code) => {
    expect(codeOf(CreatePaymentRules[field], value)).toBe(code);
  });

  it.each<[string, unknown, string]>([
    [VISA, '739', 'ok'],
    [VISA, '7391', 'invalid_cvc'],
    [AMEX, '4821', 'ok'],
    [AMEX, '739', 'invalid_cvc'],
    [VISA, '73', 'invalid_cvc'],
    [VISA, 739, 'invalid_cvc'],
    [VISA, '7a9', 'invalid_cvc'],
    // While the number is invalid (reported first), either length passes.
    ['1234', '7391', 'ok'],
    ['1234', '739', 'ok'],
    ['1234', '73', 'invalid_cvc'],
  ])('payment_method.card.cvc of card %s: %p is %s', (number, cvc, code) => {
    expect(codeOf(CreatePaymentRules['payment_method.card.cvc'], cvc, { number })).toBe(code);
  });

  it('says how a card number is wrong, and how many CVC digits the brand has', () => {
    const number = CreatePaymentRules['payment_method.card.number'];
    expect(number('4716190207394369', {})?.message).toBe(
      'The card number is not a valid card number.',
    );
    expect(number('9999999999999995', {})?.message).toBe(
      'The card number does not belong to a supported card brand.',
    );
    expect(number('42424242424242', {})?.message).toBe(
      'The card number has the wrong number of digits for its brand.',
    );
    expect(number('4716 1902', {})?.message).toBe(
      'The card number must be 12 to 19 digits, without spaces or dashes.',
    );
    const cvc = CreatePaymentRules['payment_method.card.cvc'];
    expect(cvc('739', { number: AMEX })?.message).toBe(
      "The card's security code must be a string of 4 digits.",
    );
    expect(cvc('7', { number: 'x' })?.message).toBe(
      "The card's security code must be a string of 3 or 4 digits.",
    );
  });

  it('never repeats the value it judges', () => {
    for (const [field, value] of [
      ['payment_method.card.number', '4716190207394369'],
      ['payment_method.card.cvc', '98765'],
      ['customer', VISA],
      ['metadata', { note: `card ${VISA}` }],
      ['metadata', { [VISA]: 5 }],
    ] as const) {
      expect(JSON.stringify(CreatePaymentRules[field](value, { number: VISA }))).not.toMatch(
        /4716190207|98765/,
      );
    }
  });

  it('answers every metadata problem as invalid_metadata, a card number in it first', () => {
    const metadata = CreatePaymentRules.metadata;
    expect(metadata({ order_id: 'order_123' }, {})).toBeUndefined();
    expect(metadata({ a: 5, note: `card ${VISA}` }, {})).toEqual({
      code: 'invalid_metadata',
      message: 'metadata must not contain card numbers.',
    });
    expect(metadata({ '4716 1902 0739 4368': 'x' }, {})?.message).toBe(
      'metadata must not contain card numbers.',
    );
    expect(metadata({ note: 'v'.repeat(501) }, {})).toMatchObject({
      code: 'invalid_metadata',
      key: 'note',
    });
  });
});

describe('CapturePaymentRules and CancelPaymentRules', () => {
  // prettier-ignore
  it.each<[unknown, string]>([
    [1, 'ok'],
    [1000, 'ok'],
    [MAX_AMOUNT, 'ok'],
    [MAX_AMOUNT + 1, 'amount_too_large'],
    [0, 'amount_too_small'],
    [-100, 'amount_too_small'],
    [10.5, 'parameter_invalid'],
    ['500', 'parameter_invalid'],
    [2 ** 53, 'parameter_invalid'],
  ])('amount_to_capture: %p is %s', (value, code) => {
    expect(codeOf(CapturePaymentRules.amount_to_capture, value)).toBe(code);
  });

  it('names the field and the smallest amount', () => {
    expect(CapturePaymentRules.amount_to_capture(0, {})?.message).toBe(
      'amount_to_capture must be at least 1.',
    );
    expect(CapturePaymentRules.amount_to_capture('x', {})?.message).toBe(
      "amount_to_capture must be an integer in the currency's minor unit.",
    );
  });

  it.each<[unknown, string]>([
    ['duplicate', 'ok'],
    ['fraudulent', 'ok'],
    ['requested_by_customer', 'ok'],
    ['abandoned', 'ok'],
    // The platform's own reason, for an expired authorization: not the merchant's to give.
    ['automatic', 'parameter_invalid'],
    ['because', 'parameter_invalid'],
    [1, 'parameter_invalid'],
  ])('cancellation_reason: %p is %s', (value, code) => {
    expect(codeOf(CancelPaymentRules.cancellation_reason, value)).toBe(code);
  });
});

describe('ListPaymentsRules', () => {
  // prettier-ignore
  it.each<[keyof typeof ListPaymentsRules, unknown, boolean]>([
    ['starting_after', 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs', true],
    ['starting_after', 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw', false],
    ['ending_before', 'not-an-id', false],
    ['ending_before', ['pay_a'], false],
    ['status', 'failed', true],
    ['status', 'done', false],
    ['customer', 'cust_1', true],
    ['customer', 'cus_1', false],
    ['customer', ['cust_a', 'cust_b'], false],
    ['created[gte]', '2026-03-01T00:00:00Z', true],
    ['created[gte]', '2026-03-31T23:59:59.999+02:00', true],
    ['created[gte]', '2026-03-01', false],
    ['created[gte]', '2026-03-01T00:00:00', false],
    ['created[lte]', 'yesterday', false],
    ['created[lte]', '2026-13-45T00:00:00Z', false],
  ])('%s: %p passes: %s', (field, value, passes) => {
    expect(ListPaymentsRules[field](value, {}) === undefined).toBe(passes);
  });

  it('names the field and the form it wants', () => {
    expect(ListPaymentsRules.starting_after('cust_1', {})?.message).toBe(
      'starting_after must be a payment id.',
    );
    expect(ListPaymentsRules.status('done', {})?.message).toBe(
      'status must be one of pending, requires_capture, succeeded, failed, canceled.',
    );
    expect(ListPaymentsRules['created[lte]']('x', {})?.message).toBe(
      'created[lte] must be an ISO 8601 date-time with a zone, such as 2026-03-15T00:00:00Z.',
    );
  });

  it('reads an instant with its zone', () => {
    expect(instantOf('2026-03-31T23:59:59.999+01:00')).toEqual(
      new Date('2026-03-31T22:59:59.999Z'),
    );
    expect(instantOf('2026-03-31')).toBeUndefined();
  });
});

describe('DailyReportRules', () => {
  const to = (from: string, value: unknown) => DailyReportRules.to(value, { from });

  it('accepts a range of one to 366 days, leap years included', () => {
    expect(to('2026-01-01', '2026-12-31')).toBeUndefined();
    expect(to('2028-01-01', '2028-12-31')).toBeUndefined();
    expect(to('2026-03-15', '2026-03-15')).toBeUndefined();
  });

  it.each([
    ['2026-03-01', '2026-03-01T00:00:00Z', 'to must be a UTC day, YYYY-MM-DD.'],
    ['2026-03-31', '2026-03-01', 'to must not be before from.'],
    ['2026-01-01', '2027-01-02', 'A report covers at most 366 days.'],
  ])('from %s refuses to %s: %s', (from, value, message) => {
    expect(to(from, value)).toEqual({ code: 'parameter_invalid', message });
  });

  it('leaves the range alone while from is no day (from answers that)', () => {
    expect(to('2026-02-30', '2026-03-01')).toBeUndefined();
  });

  it('refuses days that do not exist, rather than rolling them over', () => {
    expect(utcDay('2026-02-30')).toBeUndefined();
    expect(utcDay('2026-3-1')).toBeUndefined();
    expect(DailyReportRules.from('2026-02-30', {})?.message).toBe(
      'from must be a UTC day, YYYY-MM-DD.',
    );
  });

  it('takes a currency as a filter, coded parameter_invalid', () => {
    expect(DailyReportRules.currency('JPY', {})).toBeUndefined();
    expect(DailyReportRules.currency('usd', {})?.code).toBe('parameter_invalid');
  });
});
