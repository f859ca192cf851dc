import { echoablePath, mayHoldCardDigits } from './echoable-text';

describe('mayHoldCardDigits', () => {
  it.each(['4242424242424242', 'x424242x', '4242 4242', '4242-4242', 'card 123456'])(
    'flags %s',
    (text) => {
      expect(mayHoldCardDigits(text)).toBe(true);
    },
  );

  it.each(['order_12345', 'metadata', 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw', 'order-2026', 'k0'])(
    'lets %s through',
    (text) => {
      expect(mayHoldCardDigits(text)).toBe(false);
    },
  );
});

describe('echoablePath', () => {
  it('keeps a path without digit runs', () => {
    expect(echoablePath('payment_method.card.cvc')).toBe('payment_method.card.cvc');
  });

  it('cuts the path before the first segment that may hold card digits', () => {
    expect(echoablePath('payment_method.card.4242424242424242')).toBe('payment_method.card');
    expect(echoablePath('metadata.4242 4242 4242 4242.x')).toBe('metadata');
  });

  it('has nothing to show when the first segment is one', () => {
    expect(echoablePath('4242424242424242')).toBeUndefined();
  });
});
