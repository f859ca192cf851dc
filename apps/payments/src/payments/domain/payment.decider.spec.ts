import {
  decide,
  DEFAULT_CAPTURE_WINDOW_MS,
  EXPIRED_CARD_FAILURE,
  PaymentCommandRejected,
  type AuthorizationResult,
  type CreatePayment,
  type CreateRefund,
  type PaymentCommand,
  type RefundResult,
  type RejectionDetails,
  type RejectionReason,
} from './payment.decider';
import type { PaymentEvent } from './payment.events';
import { fold } from './payment';
import {
  authorized,
  canceled,
  CAPTURE_BEFORE,
  captured,
  created,
  createdManual,
  failed,
  keptCard,
  REFUND_DECLINED,
  refundCreated,
  refundFailed,
  refundSucceeded,
  succeeded,
  T0,
  T1,
  T2,
} from './payment.fixture';

// given(past events).when(command).then(new events): the decider's whole contract, as data.
const given = (...history: PaymentEvent[]) => ({
  when: (command: PaymentCommand) => ({
    then: (...expected: PaymentEvent[]) => {
      expect(decide(command, fold(history))).toEqual(expected);
    },
    thenRejects: (reason: RejectionReason, details: RejectionDetails = {}) => {
      const attempt = () => decide(command, fold(history));
      expect(attempt).toThrow(PaymentCommandRejected);
      expect(attempt).toThrow(reason);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ reason, paymentId: 'pay_1', details });
      }
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
    const attempt = () => decide(authorization(approved, 'pay_2'), fold([created()]));
    expect(attempt).toThrow(PaymentCommandRejected);
    expect(attempt).toThrow('payment_not_found: pay_2');
  });

  it('makes an approved manual payment require capture, until the deadline it is given', () => {
    given(createdManual())
      .when({
        type: 'RecordAuthorization',
        data: { paymentId: 'pay_1', result: approved, now: T1, captureBefore: CAPTURE_BEFORE },
      })
      .then(authorized(CAPTURE_BEFORE));
  });

  it('gives a manual authorization seven days when no deadline is given', () => {
    expect(DEFAULT_CAPTURE_WINDOW_MS).toBe(7 * 24 * 3600 * 1000);
    given(createdManual())
      .when(authorization(approved))
      .then(authorized(new Date(T1.getTime() + DEFAULT_CAPTURE_WINDOW_MS)));
  });

  it('fails a declined manual payment as it fails an automatic one', () => {
    given(createdManual()).when(authorization(insufficientFunds)).then(failed());
  });

  it('changes nothing once a manual payment has been authorized', () => {
    given(createdManual(), authorized()).when(authorization(approved)).then();
    given(createdManual(), authorized()).when(authorization(insufficientFunds)).then();
  });
});

describe('decide: CreatePayment with a capture method', () => {
  it('writes manual capture on the creation, and automatic as nothing, as before', () => {
    given()
      .when(createPayment({ captureMethod: 'manual' }))
      .then(createdManual());
    const [event] = decide(createPayment({ captureMethod: 'automatic' }), fold([]));
    expect(event).toEqual(created());
    expect(event?.data).not.toHaveProperty('captureMethod');
  });
});

const capture = (amountToCapture?: number): PaymentCommand => ({
  type: 'CapturePayment',
  data: { paymentId: 'pay_1', ...(amountToCapture !== undefined && { amountToCapture }), now: T2 },
});

describe('decide: CapturePayment', () => {
  const waiting = [createdManual(), authorized()];

  it('captures the whole authorized amount by default', () => {
    given(...waiting)
      .when(capture())
      .then(captured(1000));
  });

  it('captures part of it, the rest being released', () => {
    given(...waiting)
      .when(capture(400))
      .then(captured(400));
    given(...waiting)
      .when(capture(1000))
      .then(captured(1000));
  });

  it('refuses more than was authorized, naming the most it could capture', () => {
    given(...waiting)
      .when(capture(1001))
      .thenRejects('amount_too_large', { limit: 1000 });
  });

  it.each([0, -5, 10.5, Number.NaN])('refuses an amount of %p', (amount) => {
    given(...waiting)
      .when(capture(amount))
      .thenRejects('amount_invalid');
  });

  it.each<[string, PaymentEvent[]]>([
    ['pending', [createdManual()]],
    ['failed', [createdManual(), failed()]],
    ['succeeded', [createdManual(), authorized(), captured()]],
    ['succeeded', [created(), succeeded()]],
    ['canceled', [createdManual(), authorized(), canceled()]],
  ])('refuses to capture a %s payment, naming its status', (status, history) => {
    given(...history)
      .when(capture())
      .thenRejects('payment_unexpected_state', { status } as RejectionDetails);
  });

  it('refuses to capture a payment that does not exist', () => {
    given().when(capture()).thenRejects('payment_not_found');
  });
});

const cancel = (reason?: 'duplicate' | 'abandoned'): PaymentCommand => ({
  type: 'CancelPayment',
  data: { paymentId: 'pay_1', ...(reason !== undefined && { reason }), now: T2 },
});

describe('decide: CancelPayment', () => {
  it('cancels a payment that requires capture, with the reason given or none', () => {
    given(createdManual(), authorized()).when(cancel('abandoned')).then(canceled('abandoned'));
    given(createdManual(), authorized()).when(cancel()).then(canceled(null));
  });

  it.each<[string, PaymentEvent[]]>([
    ['pending', [createdManual()]],
    ['succeeded', [created(), succeeded()]],
    ['succeeded', [createdManual(), authorized(), captured(300)]],
    ['failed', [created(), failed()]],
    ['canceled', [createdManual(), authorized(), canceled()]],
  ])('refuses to cancel a %s payment, naming its status', (status, history) => {
    given(...history)
      .when(cancel('duplicate'))
      .thenRejects('payment_unexpected_state', { status } as RejectionDetails);
  });
});

const expire = (now: Date): PaymentCommand => ({
  type: 'ExpireAuthorization',
  data: { paymentId: 'pay_1', now },
});

describe('decide: ExpireAuthorization', () => {
  it('cancels an authorization not captured by its deadline, with reason automatic', () => {
    given(createdManual(), authorized())
      .when(expire(CAPTURE_BEFORE))
      .then(canceled('automatic', CAPTURE_BEFORE));
    const later = new Date(CAPTURE_BEFORE.getTime() + 60_000);
    given(createdManual(), authorized()).when(expire(later)).then(canceled('automatic', later));
  });

  it('does nothing before the deadline', () => {
    given(createdManual(), authorized())
      .when(expire(new Date(CAPTURE_BEFORE.getTime() - 1)))
      .then();
  });

  it('does nothing to a payment captured, canceled or never authorized meanwhile', () => {
    const late = new Date('2027-01-01T00:00:00.000Z');
    given(createdManual(), authorized(), captured()).when(expire(late)).then();
    given(createdManual(), authorized(), canceled()).when(expire(late)).then();
    given(createdManual()).when(expire(late)).then();
    given(created(), succeeded()).when(expire(late)).then();
  });

  it('refuses a payment that does not exist', () => {
    given().when(expire(T2)).thenRejects('payment_not_found');
  });
});

const refund = (overrides: Partial<CreateRefund['data']> = {}): CreateRefund => ({
  type: 'CreateRefund',
  data: { paymentId: 'pay_1', refundId: 're_1', metadata: {}, now: T2, ...overrides },
});

describe('decide: CreateRefund', () => {
  const paid = [created(), succeeded()];

  it('refunds all that remains by default, with no reason', () => {
    given(...paid)
      .when(refund())
      .then(refundCreated('re_1', 1000));
    given(...paid, refundCreated('re_0', 300), refundSucceeded('re_0'))
      .when(refund())
      .then(refundCreated('re_1', 700));
  });

  it('keeps the amount, reason and metadata it is given', () => {
    given(...paid)
      .when(refund({ amount: 250, reason: 'fraudulent', metadata: { ticket: '9' } }))
      .then(refundCreated('re_1', 250, { reason: 'fraudulent', metadata: { ticket: '9' } }));
  });

  it('refunds in parts up to the captured amount, pending refunds counting', () => {
    given(...paid, refundCreated('re_0', 600))
      .when(refund({ amount: 400 }))
      .then(refundCreated('re_1', 400));
    given(...paid, refundCreated('re_0', 600))
      .when(refund({ amount: 401 }))
      .thenRejects('amount_too_large', { limit: 400 });
  });

  it('is bounded by a partial capture, not by the amount authorized', () => {
    given(createdManual(), authorized(), captured(300))
      .when(refund({ amount: 301 }))
      .thenRejects('amount_too_large', { limit: 300 });
    given(createdManual(), authorized(), captured(300))
      .when(refund())
      .then(refundCreated('re_1', 300));
  });

  it('may refund again what a failed refund did not', () => {
    given(...paid, refundCreated('re_0', 1000), refundFailed('re_0'))
      .when(refund())
      .then(refundCreated('re_1', 1000));
  });

  it('refuses once nothing is left, whether refunded or pending', () => {
    given(...paid, refundCreated('re_0', 1000), refundSucceeded('re_0'))
      .when(refund())
      .thenRejects('charge_already_refunded');
    given(...paid, refundCreated('re_0', 1000))
      .when(refund({ amount: 1 }))
      .thenRejects('charge_already_refunded');
  });

  it('decides ten tenths and refuses the eleventh, one after another on the stream', () => {
    const history: PaymentEvent[] = [...paid];
    for (let i = 0; i < 10; i += 1) {
      history.push(...decide(refund({ refundId: `re_${i}`, amount: 100 }), fold(history)));
    }
    expect(history.filter((e) => e.type === 'RefundCreated')).toHaveLength(10);
    given(...history)
      .when(refund({ refundId: 're_10', amount: 100 }))
      .thenRejects('charge_already_refunded');
  });

  it.each([0, -1, 2.5])('refuses an amount of %p', (amount) => {
    given(...paid)
      .when(refund({ amount }))
      .thenRejects('amount_invalid');
  });

  it.each<[string, PaymentEvent[]]>([
    ['pending', [created()]],
    ['failed', [created(), failed()]],
    ['requires_capture', [createdManual(), authorized()]],
    ['canceled', [createdManual(), authorized(), canceled()]],
  ])('refuses to refund a %s payment, naming its status', (status, history) => {
    given(...history)
      .when(refund())
      .thenRejects('payment_unexpected_state', { status } as RejectionDetails);
  });

  it('refuses a refund id the payment already has', () => {
    given(...paid, refundCreated('re_1', 100))
      .when(refund({ amount: 100 }))
      .thenRejects('refund_exists', { refundId: 're_1' });
  });
});

const refundOutcome = (result: RefundResult, refundId = 're_1'): PaymentCommand => ({
  type: 'RecordRefundOutcome',
  data: { paymentId: 'pay_1', refundId, result, now: T2 },
});

describe('decide: RecordRefundOutcome', () => {
  const refunding = [created(), succeeded(), refundCreated('re_1', 400)];
  const returned: RefundResult = { succeeded: true, reference: 'ref_re_1' };
  const declined: RefundResult = { succeeded: false, failure: { ...REFUND_DECLINED } };

  it('records a success with the acquirer reference, or a failure', () => {
    given(...refunding)
      .when(refundOutcome(returned))
      .then(refundSucceeded('re_1'));
    given(...refunding)
      .when(refundOutcome(declined))
      .then(refundFailed('re_1'));
  });

  it('changes nothing once the refund has an outcome', () => {
    given(...refunding, refundSucceeded('re_1'))
      .when(refundOutcome(declined))
      .then();
    given(...refunding, refundFailed('re_1'))
      .when(refundOutcome(returned))
      .then();
  });

  it('refuses an outcome for a refund the payment does not have', () => {
    given(...refunding)
      .when(refundOutcome(returned, 're_2'))
      .thenRejects('refund_not_found', { refundId: 're_2' });
  });
});
