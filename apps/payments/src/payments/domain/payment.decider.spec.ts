import {
  decide,
  EXPIRED_CARD_FAILURE,
  PaymentCommandRejected,
  type AuthorizationResult,
  type CreatePayment,
  type PaymentCommand,
  type RejectionReason,
} from './payment.decider';
import type { PaymentEvent } from './payment.events';
import { fold } from './payment';
import { created, failed, keptCard, succeeded, T0, T1 } from './payment.fixture';

// given(past events).when(command).then(new events): the decider's whole contract, as data.
const given = (...history: PaymentEvent[]) => ({
  when: (command: PaymentCommand) => ({
    then: (...expected: PaymentEvent[]) => {
      expect(decide(command, fold(history))).toEqual(expected);
    },
    thenRejects: (reason: RejectionReason) => {
      const attempt = () => decide(command, fold(history));
      expect(attempt).toThrow(PaymentCommandRejected);
      expect(attempt).toThrow(reason);
    },
  }),
});

const createPayment = (overrides: Partial<CreatePayment['data']> = {}): CreatePayment => ({
  type: 'CreatePayment',
  data: {
    paymentId: 'pay_1',
    paymentMethodId: 'pm_1',
    merchantId: 'mer_1',
    amount: { value: 1000, currency: 'USD' },
    card: { ...keptCard },
    customerId: null,
    metadata: { order_id: 'order_123' },
    now: T0,
    ...overrides,
  },
});

const authorization = (result: AuthorizationResult, paymentId = 'pay_1'): PaymentCommand => ({
  type: 'RecordAuthorization',
  data: { paymentId, result, now: T1 },
});

const approved: AuthorizationResult = { approved: true, reference: 'auth_1' };
const insufficientFunds: AuthorizationResult = {
  approved: false,
  failure: {
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
};

describe('decide: CreatePayment', () => {
  it('creates a pending payment for a card that has not expired', () => {
    given().when(createPayment()).then(created());
  });

  it('keeps the customer and metadata it was given', () => {
    given()
      .when(createPayment({ customerId: 'cust_1', metadata: { a: 'b' } }))
      .then(created({ customerId: 'cust_1', metadata: { a: 'b' } }));
  });

  it('creates and fails at once with expired_card when the expiry month has passed', () => {
    const card = { ...keptCard, expMonth: 12, expYear: 2024 };
    given()
      .when(createPayment({ card }))
      .then(created({ paymentMethod: { id: 'pm_1', card } }), {
        type: 'PaymentFailed',
        data: { paymentId: 'pay_1', failure: EXPIRED_CARD_FAILURE, failedAt: T0.toISOString() },
      });
  });

  it('accepts a card in its expiry month, up to the last day', () => {
    const card = { ...keptCard, expMonth: 3, expYear: 2026 };
    given()
      .when(createPayment({ card, now: new Date('2026-03-31T23:59:59.999Z') }))
      .then(
        created({
          paymentMethod: { id: 'pm_1', card },
          createdAt: '2026-03-31T23:59:59.999Z',
        }),
      );
  });

  it('refuses to create a payment that already exists', () => {
    given(created()).when(createPayment()).thenRejects('payment_exists');
    given(created(), succeeded()).when(createPayment()).thenRejects('payment_exists');
  });

  it('never puts more of the card in an event than brand, last4, expiry and fingerprint', () => {
    const [event] = decide(createPayment(), fold([]));
    expect(event?.type === 'PaymentCreated' && Object.keys(event.data.paymentMethod.card)).toEqual([
      'brand',
      'last4',
      'expMonth',
      'expYear',
      'fingerprint',
    ]);
  });
});

describe('decide: RecordAuthorization', () => {
  it('records a success for a pending payment', () => {
    given(created()).when(authorization(approved)).then(succeeded());
  });

  it('records a failure with its code, decline code and message', () => {
    given(created()).when(authorization(insufficientFunds)).then(failed());
  });

  it('records a failure without a decline code when the acquirer gives none', () => {
    const failure = { code: 'incorrect_cvc', message: "Your card's security code is incorrect." };
    given(created())
      .when(authorization({ approved: false, failure } as AuthorizationResult))
      .then({
        type: 'PaymentFailed',
        data: { paymentId: 'pay_1', failure, failedAt: T1.toISOString() },
      } as PaymentEvent);
  });

  it('changes nothing once the payment has an outcome', () => {
    given(created(), succeeded()).when(authorization(insufficientFunds)).then();
    given(created(), failed()).when(authorization(approved)).then();
  });

  it('refuses to authorize a payment that does not exist', () => {
    given().when(authorization(approved)).thenRejects('payment_not_found');
  });

  it('refuses an authorization addressed to another payment', () => {
    given(created()).when(authorization(approved, 'pay_2')).thenRejects('payment_not_found');
  });
});
