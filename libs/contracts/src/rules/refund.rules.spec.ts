import type { FieldRule } from './field-rule';
import { CreateRefundRules } from './refund.rules';

const codeOf = (rule: FieldRule, value: unknown) => rule(value, {})?.code ?? 'ok';

type Field = keyof typeof CreateRefundRules;

describe('CreateRefundRules', () => {
  // prettier-ignore
  it.each<[Field, unknown, string]>([
    ['payment', 'pay_7Hc2kQx9Lm4Tz1Vb8Np3Rw', 'ok'],
    ['payment', 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw', 'parameter_invalid'],
    ['payment', 'pay_', 'parameter_invalid'],
    ['payment', 42, 'parameter_invalid'],
    ['amount', 1, 'ok'],
    ['amount', 250, 'ok'],
    ['amount', 0, 'amount_too_small'],
    ['amount', -1, 'amount_too_small'],
    ['amount', 2.5, 'parameter_invalid'],
    ['amount', '250', 'parameter_invalid'],
    ['reason', 'duplicate', 'ok'],
    ['reason', 'fraudulent', 'ok'],
    ['reason', 'requested_by_customer', 'ok'],
    ['reason', 'abandoned', 'parameter_invalid'],
    ['reason', 'other', 'parameter_invalid'],
    ['metadata', { order_id: 'o_1' }, 'ok'],
    ['metadata', { note: 'v'.repeat(501) }, 'invalid_metadata'],
    ['metadata', { note: 'card 4242424242424242' }, 'invalid_metadata'],
    ['metadata', 'note', 'invalid_metadata'],
  ])('%s: %p is %s', (field, value, code) => {
    expect(codeOf(CreateRefundRules[field], value)).toBe(code);
  });

  it('never repeats the value it judges', () => {
    for (const [field, value] of [
      ['payment', '4242424242424242'],
      ['reason', '4242424242424242'],
      ['metadata', { note: 'card 4242424242424242' }],
    ] as const) {
      expect(JSON.stringify(CreateRefundRules[field](value, {}))).not.toMatch(/424242/);
    }
  });
});
