import { PaymentStateErrorCodes, type Payment as PaymentResource } from '@finfusion/contracts';
import { fold, isPayment } from './domain/payment';
import { PaymentCommandRejected } from './domain/payment.decider';
import { created, succeeded } from './domain/payment.fixture';
import { PaymentActions, PaymentErrors } from './payment.errors';
import { toPaymentResource } from './payment.resource';

const state = fold([created(), succeeded()]);
if (!isPayment(state)) throw new Error('the fixture folds to a payment');
const payment: PaymentResource = toPaymentResource(state);

const rejected = (...args: ConstructorParameters<typeof PaymentCommandRejected>) =>
  new PaymentCommandRejected(...args);

describe('PaymentErrors.commandRejected', () => {
  it('answers a wrong status with 400 payment_unexpected_state, both statuses and the payment', () => {
    const reply = PaymentErrors.commandRejected(
      rejected('payment_unexpected_state', 'pay_1', { status: 'succeeded' }),
      PaymentActions.capture,
      payment,
    );
    expect(reply).toEqual({
      ok: false,
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'payment_unexpected_state',
        message:
          'This payment has the status succeeded; only a payment with the status ' +
          'requires_capture can be captured.',
        payment,
      },
    });
  });

  it.each([
    [
      PaymentActions.capture,
      'amount_to_capture',
      'amount_to_capture must be at most 1000, the amount authorized.',
    ],
    [
      PaymentActions.refund,
      'amount',
      'amount must be at most 400, what is left to refund of the payment.',
    ],
  ])(
    'answers too large an amount with 400 amount_too_large naming the field and the limit',
    (action, param, message) => {
      const limit = action === PaymentActions.capture ? 1000 : 400;
      expect(
        PaymentErrors.commandRejected(
          rejected('amount_too_large', 'pay_1', { limit }),
          action,
          payment,
        ),
      ).toEqual({
        ok: false,
        status: 400,
        error: { type: 'invalid_request_error', code: 'amount_too_large', param, message, payment },
      });
    },
  );

  it('answers a payment refunded in full with 400 charge_already_refunded', () => {
    expect(
      PaymentErrors.commandRejected(
        rejected('charge_already_refunded', 'pay_1'),
        PaymentActions.refund,
        payment,
      ),
    ).toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', code: 'charge_already_refunded', payment },
    });
  });

  it('answers every state code the contracts list', () => {
    const codes = [
      PaymentErrors.commandRejected(
        rejected('payment_unexpected_state', 'pay_1', { status: 'failed' }),
        PaymentActions.refund,
        payment,
      ),
      PaymentErrors.commandRejected(
        rejected('amount_too_large', 'pay_1', { limit: 1 }),
        PaymentActions.refund,
        payment,
      ),
      PaymentErrors.commandRejected(
        rejected('charge_already_refunded', 'pay_1'),
        PaymentActions.refund,
        payment,
      ),
    ].map((reply) => reply.error.code);
    expect(codes).toEqual([...PaymentStateErrorCodes]);
  });

  it.each([
    [PaymentActions.capture, 'id'],
    [PaymentActions.cancel, 'id'],
    [PaymentActions.refund, 'payment'],
  ])('answers an unknown payment with 404 resource_missing, param %s', (action, param) => {
    const notFound = {
      ok: false,
      status: 404,
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: 'No such payment.',
        param,
      },
    };
    expect(
      PaymentErrors.commandRejected(rejected('payment_not_found', 'pay_1'), action, null),
    ).toEqual(notFound);
    expect(PaymentErrors.noSuchPayment(action)).toEqual(notFound);
  });

  it('rethrows a rejection no caller can cause: the handler deals with it', () => {
    for (const reason of ['payment_exists', 'refund_exists', 'refund_not_found'] as const) {
      const rejection = rejected(reason, 'pay_1');
      expect(() =>
        PaymentErrors.commandRejected(rejection, PaymentActions.refund, payment),
      ).toThrow(rejection);
    }
  });
});

describe('PaymentErrors.idempotencyKeyReused', () => {
  it('names what the key created', () => {
    expect(PaymentErrors.idempotencyKeyReused('refund').error).toEqual({
      type: 'idempotency_error',
      code: 'idempotency_key_reused',
      message:
        'This Idempotency-Key was already used to create a refund with different parameters.',
    });
    expect(PaymentErrors.idempotencyKeyReused().error.message).toContain('a payment');
  });
});
