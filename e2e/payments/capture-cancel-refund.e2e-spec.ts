import { randomUUID } from 'node:crypto';
import {
  EventTopics,
  validatePublicEvent,
  type DailyReport,
  type Payment,
  type PaymentEventList,
  type PublicEvent,
  type Refund,
  type RefundList,
} from '@finfusion/contracts';
import {
  api,
  collectEvents,
  createMerchant,
  waitUntil,
  type ApiClient,
  type ApiResponse,
  type EventCollector,
} from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import { bodyOf, registerEndpoint, verified, webhookReceivers } from '../support/webhooks.fixture';

// Manual capture, cancellation and refunds over HTTP against the real stack: each route and
// state change, the refusals that write nothing, the refunds' invariant under concurrency, and
// the events on Kafka and at a subscribed webhook endpoint.

/** The documented test card whose refunds fail (docs/api.md, Test cards). */
const REFUND_FAILS_CARD = '4000000000005126';

const receiver = webhookReceivers();

const manual = (rest: Record<string, unknown> = {}) =>
  paymentBody({}, { capture_method: 'manual', ...rest });

const typesOf = (list: PaymentEventList) => list.data.map((event) => event.type);

describe('manual capture, cancellation and refunds', () => {
  let client: ApiClient;
  let other: ApiClient;
  let merchantId: string;

  beforeAll(async () => {
    const [alice, bob] = await Promise.all([createMerchant(), createMerchant()]);
    merchantId = alice.merchantId;
    client = paced(api(alice.apiKey));
    other = paced(api(bob.apiKey));
  });

  const create = async (body: Record<string, unknown>) =>
    paymentOf(await client.post('/v2/payments', body));
  const get = async (id: string) => bodyOf(await client.get(`/v2/payments/${id}`)) as Payment;
  const events = async (id: string) =>
    bodyOf(await client.get(`/v2/payments/${id}/events`)) as PaymentEventList;
  const refund = async (body: Record<string, unknown>) =>
    bodyOf(await client.post('/v2/refunds', body)) as Refund;

  /** Asserts the refusal and that the payment and its history are as they were. */
  const refusedWritingNothing = async (
    paymentId: string,
    send: () => Promise<ApiResponse>,
    expected: { code: string; param?: string },
  ) => {
    const [before, history] = await Promise.all([get(paymentId), events(paymentId)]);
    const error = expectApiError(await send(), 400, {
      type: 'invalid_request_error',
      ...expected,
    });
    expect(await get(paymentId)).toEqual(before);
    expect(await events(paymentId)).toEqual(history);
    return error;
  };

  it('authorizes only, then captures part of the authorization and releases the rest', async () => {
    const created = await create(manual({ amount: { value: 1000, currency: 'EUR' } }));
    expect(created).toMatchObject({
      status: 'requires_capture',
      capture_method: 'manual',
      amount_captured: { value: 0, currency: 'EUR' },
      amount_refunded: { value: 0, currency: 'EUR' },
      refunds: [],
    });
    expect(Date.parse(created.capture_before ?? '')).toBeGreaterThan(Date.now());

    const captured = bodyOf(
      await client.post(`/v2/payments/${created.id}/capture`, { amount_to_capture: 600 }),
    ) as Payment;
    expect(captured).toMatchObject({
      id: created.id,
      status: 'succeeded',
      amount: { value: 1000, currency: 'EUR' },
      amount_captured: { value: 600, currency: 'EUR' },
    });
    expect(await get(created.id)).toEqual(captured);
    expect(typesOf(await events(created.id))).toEqual([
      'payment.created',
      'payment.requires_capture',
      'payment.succeeded',
    ]);

    // Captured once: a second capture is refused by name, and nothing changes.
    const error = await refusedWritingNothing(
      created.id,
      () => client.post(`/v2/payments/${created.id}/capture`, {}),
      { code: 'payment_unexpected_state' },
    );
    expect(error.message).toContain('succeeded');
  });

  it('captures the whole authorization when no amount is given', async () => {
    const created = await create(manual());
    const captured = bodyOf(await client.post(`/v2/payments/${created.id}/capture`)) as Payment;
    expect(captured).toMatchObject({ status: 'succeeded', amount_captured: { value: 1000 } });
  });

  it('cancels an authorization, with a reason, and refuses to capture it afterwards', async () => {
    const created = await create(manual());
    const canceled = bodyOf(
      await client.post(`/v2/payments/${created.id}/cancel`, {
        cancellation_reason: 'requested_by_customer',
      }),
    ) as Payment;
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
      amount_captured: { value: 0 },
    });
    expect(Date.parse(canceled.canceled_at ?? '')).not.toBeNaN();
    expect(typesOf(await events(created.id))).toEqual([
      'payment.created',
      'payment.requires_capture',
      'payment.canceled',
    ]);
    await refusedWritingNothing(
      created.id,
      () => client.post(`/v2/payments/${created.id}/capture`, {}),
      { code: 'payment_unexpected_state' },
    );
    await refusedWritingNothing(
      created.id,
      () => client.post(`/v2/payments/${created.id}/cancel`, {}),
      { code: 'payment_unexpected_state' },
    );
  });

  it('refuses wrong-state and too-large requests by a stable code, writing nothing', async () => {
    const automatic = await create(paymentBody());
    const cancelSucceeded = await refusedWritingNothing(
      automatic.id,
      () => client.post(`/v2/payments/${automatic.id}/cancel`, {}),
      { code: 'payment_unexpected_state' },
    );
    expect(cancelSucceeded.message).toContain('succeeded');

    const failed = await create(paymentBody({ number: '4000000000000002' }));
    expect(failed.status).toBe('failed');
    await refusedWritingNothing(
      failed.id,
      () => client.post(`/v2/payments/${failed.id}/capture`, {}),
      { code: 'payment_unexpected_state' },
    );
    await refusedWritingNothing(
      failed.id,
      () => client.post('/v2/refunds', { payment: failed.id }),
      { code: 'payment_unexpected_state' },
    );

    const waiting = await create(manual());
    const tooMuch = await refusedWritingNothing(
      waiting.id,
      () => client.post(`/v2/payments/${waiting.id}/capture`, { amount_to_capture: 1001 }),
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
    expect(tooMuch.message).toContain('1000');
    // Nothing captured yet: nothing to refund.
    await refusedWritingNothing(
      waiting.id,
      () => client.post('/v2/refunds', { payment: waiting.id }),
      { code: 'payment_unexpected_state' },
    );
  });

  it('refunds in parts up to the captured amount, and shows them on the payment', async () => {
    const payment = await create(paymentBody());
    const first = await refund({
      payment: payment.id,
      amount: 300,
      reason: 'requested_by_customer',
      metadata: { ticket: 'T-1' },
    });
    expect(first).toMatchObject({
      id: expect.stringMatching(/^re_/) as string,
      object: 'refund',
      payment: payment.id,
      amount: { value: 300, currency: 'USD' },
      status: 'succeeded',
      reason: 'requested_by_customer',
      failure: null,
      metadata: { ticket: 'T-1' },
    });
    // The rest, by default.
    const rest = await refund({ payment: payment.id });
    expect(rest).toMatchObject({ amount: { value: 700 }, status: 'succeeded', reason: null });

    expect(await get(payment.id)).toMatchObject({
      status: 'succeeded',
      amount_captured: { value: 1000 },
      amount_refunded: { value: 1000 },
      refunds: [first.id, rest.id],
    });
    expect(bodyOf(await client.get(`/v2/refunds/${first.id}`))).toEqual(first);
    const listed = bodyOf(await client.get(`/v2/refunds?payment=${payment.id}`)) as RefundList;
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, first.id]);
    expect(typesOf(await events(payment.id))).toEqual([
      'payment.created',
      'payment.succeeded',
      'refund.created',
      'refund.succeeded',
      'refund.created',
      'refund.succeeded',
    ]);

    await refusedWritingNothing(
      payment.id,
      () => client.post('/v2/refunds', { payment: payment.id, amount: 1 }),
      { code: 'charge_already_refunded' },
    );
  });

  it('refunds no more than a partial capture took', async () => {
    const created = await create(manual());
    bodyOf(await client.post(`/v2/payments/${created.id}/capture`, { amount_to_capture: 400 }));
    const error = await refusedWritingNothing(
      created.id,
      () => client.post('/v2/refunds', { payment: created.id, amount: 401 }),
      { code: 'amount_too_large', param: 'amount' },
    );
    expect(error.message).toContain('400');
    expect(await refund({ payment: created.id })).toMatchObject({
      amount: { value: 400 },
      status: 'succeeded',
    });
  });

  it('records a refund the card refuses as failed, and the amount stays refundable', async () => {
    const payment = await create(paymentBody({ number: REFUND_FAILS_CARD }));
    expect(payment.status).toBe('succeeded');
    const failed = await refund({ payment: payment.id, amount: 500 });
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'expired_or_canceled_card' },
    });
    expect(await get(payment.id)).toMatchObject({
      amount_refunded: { value: 0 },
      refunds: [failed.id],
    });
    expect(typesOf(await events(payment.id)).slice(-2)).toEqual([
      'refund.created',
      'refund.failed',
    ]);
  });

  it('answers a retried refund with the refund its Idempotency-Key created', async () => {
    const payment = await create(paymentBody());
    const key = randomUUID();
    const once = bodyOf(
      await client.post(
        '/v2/refunds',
        { payment: payment.id, amount: 100 },
        { 'idempotency-key': key },
      ),
    ) as Refund;
    const again = bodyOf(
      await client.post(
        '/v2/refunds',
        { payment: payment.id, amount: 100 },
        { 'idempotency-key': key },
      ),
    ) as Refund;
    expect(again).toEqual(once);
    expect((await get(payment.id)).refunds).toEqual([once.id]);
  });

  it("answers another merchant's payments and refunds as missing", async () => {
    const waiting = await create(manual());
    const paid = await create(paymentBody());
    const refunded = await refund({ payment: paid.id, amount: 100 });
    expectApiError(await other.post(`/v2/payments/${waiting.id}/capture`, {}), 404, {
      code: 'resource_missing',
    });
    expectApiError(await other.post(`/v2/payments/${waiting.id}/cancel`, {}), 404, {
      code: 'resource_missing',
    });
    expectApiError(await other.post('/v2/refunds', { payment: paid.id }), 404, {
      code: 'resource_missing',
      param: 'payment',
    });
    expectApiError(await other.get(`/v2/refunds/${refunded.id}`), 404, {
      code: 'resource_missing',
    });
    const theirs = bodyOf(await other.get(`/v2/refunds?payment=${paid.id}`)) as RefundList;
    expect(theirs.data).toEqual([]);
    expect((await get(waiting.id)).status).toBe('requires_capture');
    expect((await get(paid.id)).refunds).toEqual([refunded.id]);
  });

  it('keeps 50 concurrent refunds of a tenth each to exactly 10 that succeed', async () => {
    const payment = await create(paymentBody());
    // The e2e gateway takes 40 requests a second per merchant; paced, the first 30 race at once
    // and the rest a second later, each with its own key, as 50 separate clients would.
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        client.post(
          '/v2/refunds',
          { payment: payment.id, amount: 100 },
          { 'idempotency-key': randomUUID() },
        ),
      ),
    );
    const accepted = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    expect(accepted).toHaveLength(10);
    expect(accepted.every((r) => (r.body as Refund).status === 'succeeded')).toBe(true);
    for (const response of refused) {
      expect(response.status).toBe(400);
      expect((response.body as { error: { code: string } }).error.code).toMatch(
        /^(charge_already_refunded|amount_too_large)$/,
      );
    }
    const after = await get(payment.id);
    expect(after.amount_refunded.value).toBe(1000);
    expect(after.refunds).toHaveLength(10);
    const history = await events(payment.id);
    expect(typesOf(history).filter((type) => type === 'refund.created')).toHaveLength(10);
    const listed = bodyOf(
      await client.get(`/v2/refunds?payment=${payment.id}&limit=100`),
    ) as RefundList;
    expect(listed.data).toHaveLength(10);
  });

  it('adds captured, refunded and net amounts to the daily report', async () => {
    const { merchantId: ownId, apiKey } = await createMerchant();
    const own = paced(api(apiKey));
    const paid = paymentOf(await own.post('/v2/payments', paymentBody()));
    bodyOf(await own.post('/v2/refunds', { payment: paid.id, amount: 250 }));
    const held = paymentOf(await own.post('/v2/payments', manual()));
    bodyOf(await own.post(`/v2/payments/${held.id}/capture`, { amount_to_capture: 600 }));
    expect(ownId).not.toBe(merchantId);

    const today = new Date().toISOString().slice(0, 10);
    // Built asynchronously from the log: polled until the refund is counted.
    let report: DailyReport | undefined;
    await waitUntil(
      async () => {
        const response = await own.get(`/v2/reports/daily?from=${today}&to=${today}`);
        report = bodyOf(response) as DailyReport;
        const row = report.data.find((r) => r.status === 'succeeded');
        return row?.count === 2 && row.refunded === 250;
      },
      15_000,
      250,
    ).catch(() => undefined);
    expect(report?.data).toEqual([
      {
        object: 'daily_summary',
        date: today,
        currency: 'USD',
        status: 'succeeded',
        count: 2,
        volume: 2000,
        captured: 1600,
        refunded: 250,
        net: 1350,
      },
    ]);
  });
});

describe('the events of capture, cancellation and refunds', () => {
  let topic: EventCollector;

  beforeAll(async () => {
    topic = await collectEvents(EventTopics.payments);
  });
  afterAll(() => topic.stop());

  it('go on the payment’s Kafka stream in order and to a subscribed endpoint, signed', async () => {
    const { apiKey } = await createMerchant();
    const client = paced(api(apiKey));
    const inbox = await receiver();
    const endpoint = await registerEndpoint(client, inbox, [
      'payment.requires_capture',
      'payment.succeeded',
      'payment.canceled',
      'refund.created',
      'refund.succeeded',
      'refund.failed',
    ]);

    const captured = paymentOf(await client.post('/v2/payments', manual()));
    bodyOf(await client.post(`/v2/payments/${captured.id}/capture`, { amount_to_capture: 800 }));
    bodyOf(await client.post('/v2/refunds', { payment: captured.id, amount: 300 }));
    const canceled = paymentOf(await client.post('/v2/payments', manual()));
    bodyOf(await client.post(`/v2/payments/${canceled.id}/cancel`, {}));
    const refusing = paymentOf(
      await client.post('/v2/payments', paymentBody({ number: REFUND_FAILS_CARD })),
    );
    bodyOf(await client.post('/v2/refunds', { payment: refusing.id }));

    const expected: [string, string[]][] = [
      [
        captured.id,
        [
          'payment.created',
          'payment.requires_capture',
          'payment.succeeded',
          'refund.created',
          'refund.succeeded',
        ],
      ],
      [canceled.id, ['payment.created', 'payment.requires_capture', 'payment.canceled']],
      [refusing.id, ['payment.created', 'payment.succeeded', 'refund.created', 'refund.failed']],
    ];
    for (const [paymentId, types] of expected) {
      const history = (
        bodyOf(await client.get(`/v2/payments/${paymentId}/events`)) as PaymentEventList
      ).data;
      expect(history.map((event) => event.type)).toEqual(types);
      // On Kafka: keyed by the payment, in the stream's order, each valid against its schema.
      const records = await Promise.all(
        history.map((event) =>
          topic.waitFor((record) => (record.value as PublicEvent | null)?.id === event.id),
        ),
      );
      for (const [index, record] of records.entries()) {
        expect(record.key).toBe(paymentId);
        expect(record.value).toEqual(history[index]);
        expect(validatePublicEvent(record.value)).toEqual([]);
      }
      const offsets = records.map((record) => Number(record.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }

    // At the endpoint: every subscribed event, verified with its secret; payment.created is not.
    const subscribed = expected.flatMap(([paymentId, types]) =>
      types.filter((type) => type !== 'payment.created').map((type) => [paymentId, type]),
    );
    const requests = await inbox.waitForRequests(subscribed.length, {
      where: (request) => expected.some(([paymentId]) => request.body.includes(paymentId)),
    });
    const delivered = requests.map((request) => verified(request, endpoint.secret));
    expect(delivered.map((event) => event.type).sort()).toEqual(
      subscribed.map(([, type]) => type).sort(),
    );
    expect(delivered.some((event) => event.type === 'payment.created')).toBe(false);
  });
});
