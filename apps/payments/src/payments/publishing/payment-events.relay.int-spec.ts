import {
  EventHeaders,
  EventTopics,
  newId,
  validatePublicEvent,
  type Payment,
  type PaymentEvent,
  type ServiceReply,
} from '@finfusion/contracts';
import { newMerchantId } from '@finfusion/testing';
import {
  eventually,
  openTestDatabase,
  requestMeta,
  type TestDatabase,
} from '../../testing/database.fixture';
import { provisionPaymentsTopics, TopicReader } from '../../testing/kafka.fixture';
import { createPayload, paymentsService } from '../../testing/payments.fixture';
import { decide } from '../domain/payment.decider';
import { keptCard } from '../domain/payment.fixture';
import { initialState } from '../domain/payment';
import { PaymentsConfig } from '../../config';
import { PaymentEventRecords, PaymentEventsRelay } from './payment-events.relay';

let db: TestDatabase;
let service: ReturnType<typeof paymentsService>;
let reader: TopicReader;
let relay: PaymentEventsRelay | undefined;

beforeAll(async () => {
  db = await openTestDatabase();
  service = paymentsService(db);
  await provisionPaymentsTopics();
  reader = await TopicReader.open(EventTopics.payments);
});

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

afterAll(async () => {
  await reader.close();
  await db.drop();
});

const newRelay = (config = db.config) =>
  (relay = new PaymentEventsRelay(
    db.dataSource,
    db.store,
    config,
    new PaymentEventRecords(db.store),
  ));

/**
 * A started relay whose safety poll never comes within a test, once it has published a payment
 * of its own: from then on only a wake-up makes it look at the log again.
 */
const wokenOnly = async () => {
  const sentinel = await create();
  const started = newRelay(
    Object.assign(new PaymentsConfig(), db.config, { RELAY_POLL_MS: 10 * 60 * 1000 }),
  );
  await started.start();
  await reader.waitFor((record) => record.key === sentinel.id, 2);
  return started;
};

/** Publishes until nothing committed is left (one catchUp can stop short, see daily summary). */
const settle = (r: PaymentEventsRelay) =>
  eventually(async () => {
    await r.catchUp();
    return (await r.lag()) === 0 ? true : undefined;
  });

const paymentOf = (reply: ServiceReply<Payment>): Payment =>
  reply.ok ? reply.body : (reply.error.payment as Payment);

const create = async (payload = createPayload()) =>
  paymentOf(await service.create.handle({ meta: requestMeta(newMerchantId()), payload }));

const publishedFor = (paymentId: string) =>
  reader.records
    .filter((record) => record.key === paymentId)
    .sort((a, b) => Number(a.offset) - Number(b.offset));

describe('the relay to payments.payment.events', () => {
  it('publishes every committed event, keyed by payment id, in stream order, schema-valid', async () => {
    const expired = createPayload();
    expired.payment_method.card.exp_year = 2024;
    const payments = [
      await create(),
      await create(createPayload({ number: '4000000000000002' })),
      await create(expired),
    ];
    await settle(newRelay());
    const ids = new Set(payments.map((p) => p.id));
    await reader.waitFor((record) => ids.has(record.key), 6);

    for (const payment of payments) {
      const records = publishedFor(payment.id);
      expect(new Set(records.map((r) => r.partition)).size).toBe(1);
      const events = records.map((r) => JSON.parse(r.value) as PaymentEvent);
      for (const event of events) expect(validatePublicEvent(event)).toEqual([]);
      expect(events.map((e) => e.sequence)).toEqual([1, 2]);
      expect(events.map((e) => e.data.object.status)).toEqual(['pending', payment.status]);
      expect(events[1]?.data.object).toEqual(payment);

      const stored = await db.store.readStream(db.dataSource.manager, payment.id);
      expect(events.map((e) => e.id)).toEqual(stored.map((e) => e.eventId));
      expect(records[0]?.headers).toMatchObject({
        [EventHeaders.type]: 'payment.created',
        [EventHeaders.schemaVersion]: '2',
        [EventHeaders.merchantId]: events[0]?.merchant_id,
        [EventHeaders.requestId]: stored[0]?.metadata.requestId,
        [EventHeaders.correlationId]: stored[0]?.metadata.correlationId,
      });
    }
  });

  it('publishes nothing of a transaction that rolled back', async () => {
    const rolledBack = newId('pay');
    const merchantId = newMerchantId();
    await expect(
      db.dataSource.transaction(async (manager) => {
        const events = decide(
          {
            type: 'CreatePayment',
            data: {
              paymentId: rolledBack,
              paymentMethodId: newId('pm'),
              merchantId,
              amount: { value: 1, currency: 'USD' },
              card: { ...keptCard },
              customerId: null,
              metadata: {},
              now: new Date(),
            },
          },
          initialState,
        );
        await service.payments.append(manager, rolledBack, service.payments.newStream, events, {
          merchantId,
        });
        throw new Error('the request failed after the append');
      }),
    ).rejects.toThrow('after the append');

    const sentinel = await create();
    await settle(newRelay());
    await reader.waitFor((record) => record.key === sentinel.id, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(publishedFor(rolledBack)).toEqual([]);
  });

  it('publishes later an event committed while no relay was running', async () => {
    const payment = await create();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publishedFor(payment.id)).toEqual([]);

    const started = newRelay();
    expect(await started.lag()).toBeGreaterThanOrEqual(2);
    await started.start();
    const records = await reader.waitFor((record) => record.key === payment.id, 2);
    expect(records.map((r) => (JSON.parse(r.value) as PaymentEvent).type)).toEqual([
      'payment.created',
      'payment.succeeded',
    ]);
    await eventually(async () => ((await started.lag()) === 0 ? true : undefined));
  });

  it('publishes an event committed while it sleeps, though its safety poll is ten minutes', async () => {
    await wokenOnly();

    const payment = await create();

    const records = await reader.waitFor((record) => record.key === payment.id, 2);
    expect(records.map((r) => (JSON.parse(r.value) as PaymentEvent).type)).toEqual([
      'payment.created',
      'payment.succeeded',
    ]);
  });

  it('holds back an event behind an older unrelated transaction, and publishes it once that ends', async () => {
    await wokenOnly();
    const unrelated = db.dataSource.createQueryRunner();
    await unrelated.connect();
    try {
      // Like a request in flight in another service's schema: it has an xid, and it notifies
      // nothing when it ends.
      await unrelated.startTransaction();
      await unrelated.query('SELECT pg_current_xact_id()');

      const payment = await create();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(publishedFor(payment.id)).toEqual([]);

      await unrelated.rollbackTransaction();
      await reader.waitFor((record) => record.key === payment.id, 2);
    } finally {
      if (unrelated.isTransactionActive) await unrelated.rollbackTransaction();
      await unrelated.release();
    }
  });
});
