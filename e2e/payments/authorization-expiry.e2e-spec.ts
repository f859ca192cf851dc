import { setTimeout as sleep } from 'node:timers/promises';
import {
  EventTopics,
  type Payment,
  type PaymentEventList,
  type PublicEvent,
} from '@finfusion/contracts';
import {
  api,
  collectEvents,
  createMerchant,
  startService,
  stopService,
  waitUntil,
  type ApiClient,
  type EventCollector,
} from '@finfusion/testing';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import { bodyOf } from '../support/webhooks.fixture';

// An authorization nobody captures is canceled once its capture window has passed, by the
// payments service's expiry process, which reads what is due from the database: a restart in
// between loses nothing. The window is shortened to seconds for this file only.

const SHORT_WINDOW = {
  AUTHORIZATION_CAPTURE_WINDOW_MS: '3000',
  AUTHORIZATION_EXPIRY_INTERVAL_MS: '500',
};

describe('an authorization nobody captures in time', () => {
  let client: ApiClient;
  let topic: EventCollector;

  beforeAll(async () => {
    client = api((await createMerchant()).apiKey);
    topic = await collectEvents(EventTopics.payments);
    await stopService('payments');
    await startService('payments', { env: SHORT_WINDOW });
  });

  afterAll(async () => {
    await topic.stop();
    // The stack's own settings again, for the files that follow.
    await stopService('payments');
    await startService('payments');
  });

  const get = async (id: string) => bodyOf(await client.get(`/v2/payments/${id}`)) as Payment;

  it('is canceled automatically after its window, though the service restarted meanwhile', async () => {
    const manual = paymentBody({}, { capture_method: 'manual' });
    const forgotten = paymentOf(await client.post('/v2/payments', manual));
    const captured = paymentOf(await client.post('/v2/payments', manual));
    expect(forgotten.status).toBe('requires_capture');
    const deadline = Date.parse(forgotten.capture_before ?? '');
    expect(deadline - Date.parse(forgotten.created_at)).toBeGreaterThanOrEqual(2900);
    expect(deadline - Date.parse(forgotten.created_at)).toBeLessThan(10_000);
    bodyOf(await client.post(`/v2/payments/${captured.id}/capture`, {}));

    // The process dies before the deadline: nothing in its memory remembers the payment.
    await stopService('payments', { signal: 'SIGKILL' });
    await sleep(Math.max(0, deadline - Date.now()) + 500);
    await startService('payments', { env: SHORT_WINDOW });

    const canceled = await waitUntil(
      async () => {
        const payment = await get(forgotten.id);
        return payment.status === 'canceled' ? payment : undefined;
      },
      20_000,
      250,
    );
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'automatic',
      amount_captured: { value: 0 },
    });
    expect(Date.parse(canceled?.canceled_at ?? '')).toBeGreaterThanOrEqual(deadline);
    const history = bodyOf(
      await client.get(`/v2/payments/${forgotten.id}/events`),
    ) as PaymentEventList;
    expect(history.data.map((event) => event.type)).toEqual([
      'payment.created',
      'payment.requires_capture',
      'payment.canceled',
    ]);
    const record = await topic.waitFor(
      (r) => (r.value as PublicEvent | null)?.id === history.data[2]?.id,
      15_000,
    );
    expect(record.key).toBe(forgotten.id);

    // Captured in time: left alone.
    expect(await get(captured.id)).toMatchObject({ status: 'succeeded' });
  });
});
