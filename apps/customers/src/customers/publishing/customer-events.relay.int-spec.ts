import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@finfusion/config';
import {
  ERASED_EMAIL,
  EventHeaders,
  EventTopics,
  newId,
  validatePublicEvent,
  type CustomerEvent,
  topicsOf,
} from '@finfusion/contracts';
import { provisionTopics } from '@finfusion/kafka';
import {
  bodyOf,
  collectEvents,
  newMerchantId,
  requestOf,
  testEnv,
  waitUntil,
  type EventCollector,
} from '@finfusion/testing';
import { CustomersConfig } from '../../config';
import { createCustomer } from '../domain/customer';
import { customersTestDb } from '../../testing/customers-db.fixture';
import { CustomerEventsRelay } from './customer-events.relay';

const db = customersTestDb();
let collector: EventCollector;
// A safety poll that never comes within a test: a relay publishes at start and on wake-ups only.
const config = loadConfig(CustomersConfig, {
  KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
  RELAY_POLL_MS: String(10 * 60 * 1000),
  RELAY_RETRY_MS: '200',
});

beforeAll(async () => {
  Logger.overrideLogger(['error']);
  await provisionTopics({ brokers: testEnv.kafkaBrokers }, topicsOf('customers'));
  collector = await collectEvents(EventTopics.customers);
});
afterAll(() => collector.stop());

/** Runs `work` with a relay of this test's schema running, and stops it afterwards. */
async function withRelay(work: (relay: CustomerEventsRelay) => Promise<unknown>): Promise<void> {
  const relay = new CustomerEventsRelay(db.dataSource, db.store, config, db.keys);
  await relay.start();
  try {
    await work(relay);
  } finally {
    await relay.stop();
  }
}

const eventsOf = (merchantId: string) =>
  collector.events.filter((e) => (e.value as CustomerEvent).merchant_id === merchantId);
const published = (customerId: string) => collector.events.filter((e) => e.key === customerId);
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('CustomerEventsRelay', () => {
  it('publishes committed changes keyed by customer id, in order per customer, per the schema', async () => {
    const merchantId = newMerchantId();
    const request = requestOf(merchantId, { email: 'a@example.com', name: 'A' });
    const a = bodyOf(await db.handlers.create.handle(request));
    const b = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'b@example.com' })),
    );
    bodyOf(await db.handlers.update.handle(requestOf(merchantId, { id: a.id, name: 'A2' })));
    bodyOf(
      await db.handlers.update.handle(
        requestOf(merchantId, { id: a.id, metadata: { tier: 'gold' } }),
      ),
    );
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: b.id })));

    await withRelay(() => waitUntil(() => eventsOf(merchantId).length === 5, 20_000));

    const received = eventsOf(merchantId);
    for (const record of received) {
      const event = record.value as CustomerEvent;
      expect(validatePublicEvent(event)).toEqual([]);
      expect(record.key).toBe(event.data.object.id);
      expect(record.headers).toMatchObject({
        [EventHeaders.type]: event.type,
        [EventHeaders.schemaVersion]: '1',
        [EventHeaders.merchantId]: merchantId,
      });
    }
    const streamOf = (id: string) =>
      published(id).map((r) => {
        const event = r.value as CustomerEvent;
        return [event.sequence, event.type, event.data.object.name, event.data.object.metadata];
      });
    expect(streamOf(a.id)).toEqual([
      [1, 'customer.created', 'A', {}],
      [2, 'customer.updated', 'A2', {}],
      [3, 'customer.updated', 'A2', { tier: 'gold' }],
    ]);
    expect(streamOf(b.id)).toEqual([
      [1, 'customer.created', null, {}],
      [2, 'customer.deleted', null, {}],
    ]);
    // The public id is the stored event's id, and the request's ids travel in the headers.
    const logged = await db.events(a.id);
    expect(published(a.id).map((r) => (r.value as CustomerEvent).id)).toEqual(
      logged.map((e) => e.eventId),
    );
    expect(published(a.id)[0]?.headers).toMatchObject({
      [EventHeaders.requestId]: request.meta.requestId,
      [EventHeaders.correlationId]: request.meta.correlationId,
    });
  });

  it('publishes what was committed while no relay ran once one starts, from its checkpoint', async () => {
    const merchantId = newMerchantId();
    const before = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'x@example.com' })),
    );
    await withRelay(() => waitUntil(() => published(before.id).length === 1, 20_000));

    // Committed after the relay stopped: as if the process died right after the commit.
    const during = bodyOf(
      await db.handlers.create.handle(requestOf(merchantId, { email: 'y@example.com' })),
    );
    await settle();
    expect(published(during.id)).toHaveLength(0);

    await withRelay(async (relay) => {
      await waitUntil(() => published(during.id).length === 1, 20_000);
      expect(await relay.lag()).toBe(0);
    });
    await settle();
    expect(published(before.id)).toHaveLength(1);
  });

  it('publishes a customer deleted before its events went out with its personal data erased', async () => {
    const merchantId = newMerchantId();
    const email = `gone-${randomUUID()}@example.com`;
    const customer = bodyOf(
      await db.handlers.create.handle(
        requestOf(merchantId, { email, name: 'Gone', metadata: { crm: '7' } }),
      ),
    );
    bodyOf(await db.handlers.update.handle(requestOf(merchantId, { id: customer.id, name: 'G' })));
    bodyOf(await db.handlers.remove.handle(requestOf(merchantId, { id: customer.id })));

    await withRelay(() => waitUntil(() => published(customer.id).length === 3, 20_000));

    const sent = published(customer.id).map((r) => r.value as CustomerEvent);
    expect(
      sent.map((e) => [e.type, e.data.object.email, e.data.object.name, e.data.object.metadata]),
    ).toEqual([
      ['customer.created', ERASED_EMAIL, null, {}],
      ['customer.updated', ERASED_EMAIL, null, {}],
      ['customer.deleted', ERASED_EMAIL, null, {}],
    ]);
    for (const event of sent) expect(validatePublicEvent(event)).toEqual([]);
  });

  it('publishes nothing of a change whose transaction rolled back', async () => {
    const merchantId = newMerchantId();
    const doomed = createCustomer(
      { id: newId('cust'), merchantId, email: 'doomed@example.com' },
      new Date(),
    );
    await withRelay(async () => {
      await expect(
        db.customers.transaction(async (manager) => {
          await db.customers.insert(manager, doomed, requestOf(merchantId, {}).meta);
          throw new Error('the request failed after its write');
        }),
      ).rejects.toThrow('the request failed after its write');
      const after = bodyOf(
        await db.handlers.create.handle(requestOf(merchantId, { email: 'ok@example.com' })),
      );
      await waitUntil(() => published(after.id).length === 1, 20_000);
    });
    await settle();
    expect(published(doomed.state.id)).toHaveLength(0);
    expect(await db.row(doomed.state.id)).toBeNull();
    expect(await db.events(doomed.state.id)).toHaveLength(0);
  });
});
