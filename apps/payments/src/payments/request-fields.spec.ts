import { parseCancelPayment } from './cancel-payment/cancel-payment.request';
import { parseCapturePayment } from './capture-payment/capture-payment.request';
import { parseCreateRefund } from './create-refund/create-refund.request';

const ID = 'pay_7Hc2kQx9Lm4Tz1Vb8Np3Rw';

/** The reply's status, code and param, for a refused payload. */
const refusal = (parsed: {
  ok: boolean;
  reply?: { status: number; error: { code: string; param?: string } };
}) => {
  if (parsed.ok || parsed.reply === undefined) throw new Error('expected a refusal');
  const { status, error } = parsed.reply;
  return [status, error.code, error.param];
};

describe('parseCapturePayment', () => {
  it('takes the id, and the amount when given', () => {
    expect(parseCapturePayment({ id: ID })).toEqual({ ok: true, value: { paymentId: ID } });
    expect(parseCapturePayment({ id: ID, amount_to_capture: 500 })).toEqual({
      ok: true,
      value: { paymentId: ID, amountToCapture: 500 },
    });
    expect(parseCapturePayment({ id: ID, amount_to_capture: null })).toEqual({
      ok: true,
      value: { paymentId: ID },
    });
  });

  it.each<[unknown, unknown[]]>([
    [{ id: 'cust_1' }, [404, 'resource_missing', 'id']],
    [{}, [404, 'resource_missing', 'id']],
    [null, [404, 'resource_missing', 'id']],
    [{ id: ID, amount_to_capture: 0 }, [400, 'amount_too_small', 'amount_to_capture']],
    [{ id: ID, amount_to_capture: '5' }, [400, 'parameter_invalid', 'amount_to_capture']],
    [{ id: ID, reason: 'x' }, [400, 'parameter_unknown', 'reason']],
  ])('refuses %p', (payload, expected) => {
    expect(refusal(parseCapturePayment(payload))).toEqual(expected);
  });
});

describe('parseCancelPayment', () => {
  it('takes the id, and the reason when given', () => {
    expect(parseCancelPayment({ id: ID, cancellation_reason: 'duplicate' })).toEqual({
      ok: true,
      value: { paymentId: ID, reason: 'duplicate' },
    });
    expect(parseCancelPayment({ id: ID })).toEqual({ ok: true, value: { paymentId: ID } });
  });

  it.each<[unknown, unknown[]]>([
    [{ id: 'pay_' }, [404, 'resource_missing', 'id']],
    [
      { id: ID, cancellation_reason: 'automatic' },
      [400, 'parameter_invalid', 'cancellation_reason'],
    ],
    [{ id: ID, amount_to_capture: 5 }, [400, 'parameter_unknown', 'amount_to_capture']],
  ])('refuses %p', (payload, expected) => {
    expect(refusal(parseCancelPayment(payload))).toEqual(expected);
  });
});

describe('parseCreateRefund', () => {
  it('takes the payment, and the amount, reason and metadata when given', () => {
    expect(parseCreateRefund({ payment: ID })).toEqual({
      ok: true,
      value: { paymentId: ID, metadata: {} },
    });
    expect(
      parseCreateRefund({ payment: ID, amount: 10, reason: 'duplicate', metadata: { a: 'b' } }),
    ).toEqual({
      ok: true,
      value: { paymentId: ID, amount: 10, reason: 'duplicate', metadata: { a: 'b' } },
    });
  });

  it.each<[unknown, unknown[]]>([
    ['x', [400, 'parameter_invalid', 'body']],
    [{}, [400, 'parameter_missing', 'payment']],
    [{ payment: null }, [400, 'parameter_missing', 'payment']],
    [{ payment: 'cust_1' }, [400, 'parameter_invalid', 'payment']],
    [{ payment: ID, amount: -5 }, [400, 'amount_too_small', 'amount']],
    [{ payment: ID, reason: 'abandoned' }, [400, 'parameter_invalid', 'reason']],
    [{ payment: ID, metadata: { k: 1 } }, [400, 'invalid_metadata', 'metadata.k']],
    [{ payment: ID, charge: 'ch_1' }, [400, 'parameter_unknown', 'charge']],
  ])('refuses %p', (payload, expected) => {
    expect(refusal(parseCreateRefund(payload))).toEqual(expected);
  });

  it('never puts a card number in an error', () => {
    const number = '4000056655665556';
    for (const payload of [
      { payment: number },
      { payment: ID, [number]: 1 },
      { payment: ID, metadata: { note: number } },
      { payment: ID, reason: number },
    ]) {
      expect(JSON.stringify(parseCreateRefund(payload))).not.toContain(number);
    }
  });
});
