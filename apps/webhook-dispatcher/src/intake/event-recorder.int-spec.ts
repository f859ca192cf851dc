import type { WebhookEventSelector } from '@finfusion/contracts';
import { newMerchantId, requestOf } from '@finfusion/testing';
import {
  eventOf,
  recordOf,
  webhooksTestBed,
  type TestDispatcher,
} from '../testing/webhooks.fixture';

const bed = webhooksTestBed();
let made: TestDispatcher;
beforeAll(() => {
  made = bed.dispatcher();
});

const endpointOf = async (merchantId: string, events: WebhookEventSelector[]) =>
  (await made.endpoint(merchantId, 'http://127.0.0.1:9/hooks', events)).id;

const deliveriesOf = (eventId: string) =>
  bed.db.query<{ endpoint_id: string; status: string; attempts: number; max_attempts: number }>(
    'SELECT endpoint_id, status, attempts, max_attempts FROM $schema.deliveries WHERE event_id = $1',
    [eventId],
  );

describe('EventRecorder', () => {
  it('plans one delivery per active endpoint of the merchant subscribed to the type', async () => {
    const merchantId = newMerchantId();
    const everything = await endpointOf(merchantId, ['*']);
    const succeeded = await endpointOf(merchantId, ['payment.succeeded', 'payment.failed']);
    await endpointOf(merchantId, ['customer.created']);
    const disabled = await endpointOf(merchantId, ['*']);
    await made.update.handle(requestOf(merchantId, { id: disabled, status: 'disabled' }));
    const deleted = await endpointOf(merchantId, ['*']);
    await made.remove.handle(requestOf(merchantId, { id: deleted }));
    await endpointOf(newMerchantId(), ['*']);

    const event = eventOf(merchantId, 'payment.succeeded');
    expect(await made.recorder.record(recordOf(event))).toEqual({ event, deliveries: 2 });

    const planned = await deliveriesOf(event.id);
    expect(planned.map((row) => row.endpoint_id).sort()).toEqual([everything, succeeded].sort());
    expect(planned.every((row) => row.status === 'pending' && row.attempts === 0)).toBe(true);
    expect(
      planned.every((row) => row.max_attempts === made.config.WEBHOOK_RETRY_SCHEDULE.length),
    ).toBe(true);
  });

  it('plans one delivery per event and endpoint however often the event is redelivered', async () => {
    const merchantId = newMerchantId();
    await endpointOf(merchantId, ['*']);
    await endpointOf(merchantId, ['payment.succeeded']);
    const event = eventOf(merchantId, 'payment.succeeded');

    // Concurrent copies (a rebalance) and later ones (a replay) alike.
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, (_, i) => made.recorder.record(recordOf(event, String(i)))),
    );
    const later = await made.recorder.record(recordOf(event, '99'));

    expect([...concurrent, later].map((outcome) => outcome.deliveries).sort()).toEqual([
      0, 0, 0, 0, 0, 2,
    ]);
    expect(await deliveriesOf(event.id)).toHaveLength(2);
    const received = await bed.db.query(
      'SELECT body FROM $schema.received_events WHERE event_id = $1',
      [event.id],
    );
    expect(received).toEqual([{ body: JSON.stringify(event) }]);
  });

  it('does not give an event to an endpoint created after it was taken in', async () => {
    const merchantId = newMerchantId();
    const event = eventOf(merchantId);
    await made.recorder.record(recordOf(event));
    await endpointOf(merchantId, ['*']);
    await made.recorder.record(recordOf(event));
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });

  it('records but does not deliver an event older than it remembers events, one by one or in a batch', async () => {
    const merchantId = newMerchantId();
    await endpointOf(merchantId, ['*']);
    const daysAgo = (days: number) =>
      new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();
    const retention = made.config.WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS;
    const old = { ...eventOf(merchantId), created_at: daysAgo(retention + 1) };
    const recent = { ...eventOf(merchantId), created_at: daysAgo(retention - 1) };
    const oldInBatch = { ...eventOf(merchantId), created_at: daysAgo(retention + 1) };

    expect(await made.recorder.record(recordOf(old))).toEqual({ event: old, deliveries: 0 });
    expect(await made.recorder.recordBatch([recordOf(oldInBatch), recordOf(recent, '1')])).toBe(1);
    expect(await deliveriesOf(old.id)).toEqual([]);
    expect(await deliveriesOf(oldInBatch.id)).toEqual([]);
    expect(await deliveriesOf(recent.id)).toHaveLength(1);
    const received = await bed.db.query(
      'SELECT event_id FROM $schema.received_events WHERE event_id = ANY($1::text[])',
      [[old.id, oldInBatch.id]],
    );
    expect(received).toHaveLength(2);
  });

  it('refuses a record that is not a public event envelope', async () => {
    await expect(
      made.recorder.record({ ...recordOf(eventOf(newMerchantId())), value: '{"hello":1}' }),
    ).rejects.toThrow('record is not a public event envelope');
    await expect(
      made.recorder.record({ ...recordOf(eventOf(newMerchantId())), value: 'not json' }),
    ).rejects.toThrow();
  });

  it('takes in a batch of several merchants’ events in one go, as one by one', async () => {
    const [alice, bob] = [newMerchantId(), newMerchantId()];
    const aliceAll = await endpointOf(alice, ['*']);
    const bobSucceeded = await endpointOf(bob, ['payment.succeeded']);
    const events = [
      eventOf(alice, 'payment.created'),
      eventOf(alice, 'payment.succeeded'),
      eventOf(bob, 'payment.created'),
      eventOf(bob, 'payment.succeeded'),
    ];
    const records = events.map((event, i) => recordOf(event, String(i)));

    expect(await made.recorder.recordBatch(records)).toBe(3);
    const [aliceCreated, aliceSucceeded, bobCreated, bobSucceededEvent] = await Promise.all(
      events.map((event) => deliveriesOf(event.id)),
    );
    expect(aliceCreated?.map((row) => row.endpoint_id)).toEqual([aliceAll]);
    expect(aliceSucceeded?.map((row) => row.endpoint_id)).toEqual([aliceAll]);
    expect(bobCreated).toEqual([]);
    expect(bobSucceededEvent?.map((row) => row.endpoint_id)).toEqual([bobSucceeded]);
  });

  it('adds nothing for a batch redelivered whole or with a copy inside it', async () => {
    const merchantId = newMerchantId();
    await endpointOf(merchantId, ['*']);
    const event = eventOf(merchantId, 'payment.succeeded');
    const again = eventOf(merchantId, 'payment.failed');

    expect(await made.recorder.recordBatch([recordOf(event, '1'), recordOf(event, '2')])).toBe(1);
    expect(await made.recorder.recordBatch([recordOf(event, '3'), recordOf(again, '4')])).toBe(1);
    expect(await deliveriesOf(event.id)).toHaveLength(1);
    expect(await deliveriesOf(again.id)).toHaveLength(1);
  });

  it('records nothing of a batch holding a record that is not an event envelope', async () => {
    const merchantId = newMerchantId();
    await endpointOf(merchantId, ['*']);
    const event = eventOf(merchantId);
    await expect(
      made.recorder.recordBatch([recordOf(event), { ...recordOf(event), value: 'not json' }]),
    ).rejects.toThrow();
    expect(await deliveriesOf(event.id)).toHaveLength(0);
  });
});
