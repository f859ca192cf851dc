import { missingParameter, paramOf, unknownParameter } from './field-rule';
import { cursorRule, idCursorRule, limitRule, oneCursorRule } from './list.rules';

describe('list parameters', () => {
  it.each<[unknown, string | undefined]>([
    [1, undefined],
    [100, undefined],
    [0, 'limit must not be less than 1.'],
    [101, 'limit must not be greater than 100.'],
    [Number.NaN, 'limit must be an integer number.'],
    ['10', 'limit must be an integer number.'],
    [2.5, 'limit must be an integer number.'],
  ])('limit %p: %s', (value, message) => {
    expect(limitRule(value, {})?.message).toBe(message);
  });

  it('takes any id of up to 100 characters as a cursor', () => {
    const cursor = cursorRule('starting_after');
    expect(cursor('whd_abc', {})).toBeUndefined();
    expect(cursor(['a'], {})?.message).toBe('starting_after must be a string.');
    expect(cursor('x'.repeat(101), {})?.message).toBe(
      'starting_after must be shorter than or equal to 100 characters.',
    );
  });

  it('takes only an id of the listed kind where the list says so', () => {
    const cursor = idCursorRule('ending_before', 'pay', 'a payment id');
    expect(cursor('pay_abc', {})).toBeUndefined();
    expect(cursor('cust_abc', {})?.message).toBe('ending_before must be a payment id.');
    expect(cursor(5, {})?.message).toBe('ending_before must be a string.');
  });

  it('refuses ending_before beside starting_after', () => {
    expect(oneCursorRule('pay_b', {})).toBeUndefined();
    expect(oneCursorRule('pay_b', { starting_after: 'pay_a' })?.message).toBe(
      'Give at most one of starting_after and ending_before.',
    );
  });
});

describe('the shape of a request', () => {
  it('names a missing field', () => {
    expect(missingParameter('amount.value')).toEqual({
      code: 'parameter_missing',
      message: 'Missing required parameter: amount.value.',
    });
  });

  it('names an unknown field unless it may hold card digits', () => {
    expect(unknownParameter('amount.cents')).toEqual({
      code: 'parameter_unknown',
      message: 'Received unknown parameter: amount.cents.',
      param: 'amount.cents',
    });
    expect(unknownParameter('payment_method.card.4242424242424242')).toEqual({
      code: 'parameter_unknown',
      message: 'Received an unknown parameter in payment_method.card.',
      param: 'payment_method.card',
    });
    expect(unknownParameter('4242 4242 4242 4242')).toEqual({
      code: 'parameter_unknown',
      message: 'Received an unknown parameter.',
      param: undefined,
    });
  });

  it('names the key at fault below a field when it is safe to show', () => {
    expect(paramOf('metadata', {})).toBe('metadata');
    expect(paramOf('metadata', { key: 'company' })).toBe('metadata.company');
    expect(paramOf('events', { key: '1' })).toBe('events.1');
    expect(paramOf('metadata', { key: '4242424242424242' })).toBe('metadata');
  });
});
