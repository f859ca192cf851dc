import {
  bodyOf,
  dispatcherOf,
  eventOf,
  newMerchantId,
  openWebhooksTestDb,
  recordOf,
  requestOf,
  testConfig,
  type Dispatcher,
  type WebhooksTestDb,
} from '../testing/webhooks.fixture';

let db: WebhooksTestDb;
let made: Dispatcher;

beforeAll(async () => {
  db = await openWebhooksTestDb();
  made = dispatcherOf(db.dataSource, testConfig());
});
afterAll(() => db.close());

const endpointOf = async (merchantId: string, events: string[]) =>
  bodyOf(
    await made.create.handle(
      requestOf(merchantId, { url: 'http://127.0.0.1:9/hooks', events } as never),
    ),
  ).id;

const deliveriesOf = (eventId: string) =>
  db.query<{ endpoint_id: string; status: string; attempts: number; max_attempts: number }>(
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
    const received = await db.query(
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

  it('refuses a record that is not a public event envelope', async () => {
    await expect(
      made.recorder.record({ ...recordOf(eventOf(newMerchantId())), value: '{"hello":1}' }),
    ).rejects.toThrow('record is not a public event envelope');
    await expect(
      made.recorder.record({ ...recordOf(eventOf(newMerchantId())), value: 'not json' }),
    ).rejects.toThrow();
  });
});
