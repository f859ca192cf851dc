import { parseCreatePayment } from './create-payment.request';

// Loosely typed, so that a test can break any part of the body.
type Loose = Record<string, unknown>;
interface Body extends Loose {
  amount: Loose;
  payment_method: Loose & { card: Loose };
}

const valid = (): Body => ({
  amount: { value: 1000, currency: 'USD' },
  payment_method: {
    type: 'card',
    card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' },
  },
  metadata: { order_id: 'order_123' },
});

const body = (change: (b: Body) => void): Body => {
  const copy = valid();
  change(copy);
  return copy;
};

const problem = (payload: unknown) => {
  const parsed = parseCreatePayment(payload);
  if (parsed.ok) throw new Error('expected a 400');
  expect(parsed.reply.status).toBe(400);
  expect(parsed.reply.error.type).toBe('invalid_request_error');
  return { code: parsed.reply.error.code, param: parsed.reply.error.param };
};

describe('parseCreatePayment', () => {
  it('accepts the reference request, with the brand and last4 of the card', () => {
    const parsed = parseCreatePayment(valid());
    expect(parsed).toEqual({
      ok: true,
      value: {
        amount: { value: 1000, currency: 'USD' },
        card: {
          number: '4242424242424242',
          cvc: '123',
          expMonth: 12,
          expYear: 2030,
          brand: 'visa',
          last4: '4242',
        },
        customerId: null,
        metadata: { order_id: 'order_123' },
        captureMethod: 'automatic',
      },
    });
  });

  it.each(['manual', 'automatic'])('takes capture_method %s', (method) => {
    const parsed = parseCreatePayment(body((b) => (b.capture_method = method)));
    expect(parsed.ok && parsed.value.captureMethod).toBe(method);
  });

  it('accepts an amex card with a 4-digit CVC, a zero-decimal currency and a customer', () => {
    const parsed = parseCreatePayment(
      body((b) => {
        b.amount.currency = 'JPY';
        b.payment_method.card.number = '378282246310005';
        b.payment_method.card.cvc = '1234';
        b.customer = 'cust_abc123';
      }),
    );
    expect(parsed.ok && parsed.value).toMatchObject({
      card: { brand: 'amex', last4: '0005' },
      customerId: 'cust_abc123',
    });
  });

  it('accepts a card whose expiry has passed: it fails later, with expired_card', () => {
    expect(parseCreatePayment(body((b) => (b.payment_method.card.exp_year = 2024))).ok).toBe(true);
  });

  // Each field reaches its rule (libs/contracts, where the rules are tested) and is named in the
  // 400; the object fields are required and closed. One line per field.
  // prettier-ignore
  it.each<[string, (b: Body) => void, string, string]>([
    ['a missing amount', (b) => delete (b as Loose).amount, 'parameter_missing', 'amount'],
    ['an amount that is not an object', (b) => ((b as Loose).amount = 5), 'parameter_invalid', 'amount'],
    ['a zero amount', (b) => (b.amount.value = 0), 'amount_too_small', 'amount.value'],
    ['a missing currency', (b) => delete b.amount.currency, 'parameter_missing', 'amount.currency'],
    ['a lower-case currency', (b) => (b.amount.currency = 'usd'), 'invalid_currency', 'amount.currency'],
    ['a missing payment method', (b) => delete (b as Loose).payment_method, 'parameter_missing', 'payment_method'],
    ['a payment method of another type', (b) => (b.payment_method.type = 'sepa_debit'), 'parameter_invalid', 'payment_method.type'],
    ['a missing card', (b) => delete (b.payment_method as Loose).card, 'parameter_missing', 'payment_method.card'],
    ['a missing number', (b) => delete b.payment_method.card.number, 'parameter_missing', 'payment_method.card.number'],
    ['a number failing Luhn', (b) => (b.payment_method.card.number = '4242424242424241'), 'invalid_number', 'payment_method.card.number'],
    ['month 13', (b) => (b.payment_method.card.exp_month = 13), 'invalid_expiry_month', 'payment_method.card.exp_month'],
    ['a missing year', (b) => delete b.payment_method.card.exp_year, 'parameter_missing', 'payment_method.card.exp_year'],
    ['a two-digit year', (b) => (b.payment_method.card.exp_year = 30), 'invalid_expiry_year', 'payment_method.card.exp_year'],
    ['a 3-digit CVC on an amex', (b) => { b.payment_method.card.number = '378282246310005'; }, 'invalid_cvc', 'payment_method.card.cvc'],
    ['a metadata value that is a number', (b) => (b.metadata = { a: 1 }), 'invalid_metadata', 'metadata.a'],
    ['a customer that is not an id', (b) => (b.customer = 'bob'), 'resource_missing', 'customer'],
    ['an unknown capture method', (b) => (b.capture_method = 'later'), 'parameter_invalid', 'capture_method'],
    ['an unknown field', (b) => (b.description = 'x'), 'parameter_unknown', 'description'],
    ['an unknown card field', (b) => (b.payment_method.card.name = 'x'), 'parameter_unknown', 'payment_method.card.name'],
  ])('refuses %s', (_, change, code, param) => {
    expect(problem(body(change))).toEqual({ code, param });
  });

  it('takes a null customer and null metadata as absent', () => {
    const parsed = parseCreatePayment(
      body((b) => Object.assign(b, { customer: null, metadata: null })),
    );
    expect(parsed.ok && parsed.value).toMatchObject({ customerId: null, metadata: {} });
  });

  it('refuses a body that is not an object', () => {
    expect(problem(null)).toEqual({ code: 'parameter_invalid', param: 'body' });
    expect(problem('x')).toEqual({ code: 'parameter_invalid', param: 'body' });
  });

  it('never puts the card number or CVC in an error', () => {
    const number = '4000056655665556';
    for (const payload of [
      body((b) => (b.payment_method.card.cvc = '98765')),
      body((b) => (b.payment_method.card.number = `${number}1`)),
      body((b) => (b.customer = number)),
      body((b) => (b.payment_method[number] = number)),
      body((b) => (b.metadata = { [number]: 'x' })),
      body((b) => (b.metadata = { [number]: 5 })),
    ]) {
      const parsed = parseCreatePayment(payload);
      expect(parsed.ok).toBe(false);
      expect(JSON.stringify(parsed)).not.toContain(number);
      expect(JSON.stringify(parsed)).not.toContain('98765');
    }
  });
});
