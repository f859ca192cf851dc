import { Logger } from '@nestjs/common';
import { dlqTopicOf, EventTopics, newId } from '@finfusion/contracts';
import { DeadLetterHeaders, KeyedPublisher } from '@finfusion/kafka';
import {
  eventually,
  openTestDatabase,
  requestMeta,
  type TestDatabase,
} from '../../testing/database.fixture';
import { brokers, provisionPaymentsTopics, TopicReader } from '../../testing/kafka.fixture';
import { CustomersStandIn } from '../../testing/payments.fixture';
import { CustomerDirectory } from './customer-directory';
import { CustomerEventsConsumer } from './customer-events.consumer';
import { structuredLogger } from '@finfusion/runtime';

let db: TestDatabase;
let directory: CustomerDirectory;
let consumer: CustomerEventsConsumer;
let publisher: KeyedPublisher;
let dlq: TopicReader;

const log = structuredLogger(new Logger('customer-directory-test'));

beforeAll(async () => {
  db = await openTestDatabase();
  directory = new CustomerDirectory(db.dataSource, new CustomersStandIn());
  await provisionPaymentsTopics();
  dlq = await TopicReader.open(dlqTopicOf(EventTopics.customers));
  publisher = new KeyedPublisher({ brokers, clientId: 'customers-test' }, log);
  await publisher.connect();
  consumer = new CustomerEventsConsumer({
    kafka: { brokers },
    groupId: db.config.CUSTOMER_EVENTS_GROUP_ID,
    directory,
    logger: log,
    retryDelayMs: 10,
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer.stop();
  await publisher.disconnect();
  await dlq.close();
  await db.drop();
});

/** A customer event as the customers service publishes it (the public envelope). */
const customerEvent = (
  type: 'customer.created' | 'customer.updated' | 'customer.deleted',
  merchantId: string,
  customerId: string,
  sequence: number,
) => ({
  key: customerId,
  value: JSON.stringify({
    id: newId('evt'),
    type,
    schema_version: 1,
    created_at: new Date().toISOString(),
    merchant_id: merchantId,
    data: {
      object: {
        id: customerId,
        object: 'customer',
        email: 'a@example.com',
        name: null,
        created_at: new Date().toISOString(),
        metadata: {},
      },
    },
    sequence,
  }),
});

const standing = (merchantId: string, customerId: string) =>
  directory.standingOf(merchantId, customerId, requestMeta(merchantId));

const live = (merchantId: string, customerId: string) =>
  eventually(async () => ((await standing(merchantId, customerId)) === 'live' ? true : undefined));

const known = async (customerId: string) => {
  const rows = await db.dataSource.query<{ deleted: boolean; sequence: number }[]>(
    `SELECT deleted, sequence FROM "${db.schema}".known_customers WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0];
};

describe('the customer directory fed by customers.customer.events', () => {
  it("learns a merchant's customers, and that deleted ones are gone", async () => {
    const merchant = newId('mer');
    const customer = newId('cust');
    await publisher.publish(EventTopics.customers, [
      customerEvent('customer.created', merchant, customer, 1),
    ]);
    await live(merchant, customer);
    expect(await standing(newId('mer'), customer)).toBe('absent');

    await publisher.publish(EventTopics.customers, [
      customerEvent('customer.deleted', merchant, customer, 2),
    ]);
    await eventually(async () => ((await known(customer))?.deleted === true ? true : undefined));
    expect(await standing(merchant, customer)).toBe('absent');
  });

  it('ignores a redelivered or older event', async () => {
    const merchant = newId('mer');
    const customer = newId('cust');
    await publisher.publish(EventTopics.customers, [
      customerEvent('customer.created', merchant, customer, 1),
      customerEvent('customer.deleted', merchant, customer, 3),
      customerEvent('customer.updated', merchant, customer, 2),
      customerEvent('customer.created', merchant, customer, 1),
    ]);
    // A marker on the same key, so the same partition: once it is stored, so are the four.
    const marker = newId('cust');
    await publisher.publish(EventTopics.customers, [
      { ...customerEvent('customer.created', merchant, marker, 1), key: customer },
    ]);
    await live(merchant, marker);
    expect(await known(customer)).toEqual({ deleted: true, sequence: 3 });
  });

  it('stores a batch of facts at once, the newest per customer, never another merchant’s', async () => {
    const merchant = newId('mer');
    const [kept, gone] = [newId('cust'), newId('cust')];
    await directory.recordAll([
      { customerId: gone, merchantId: merchant, deleted: true, sequence: 3 },
      { customerId: kept, merchantId: merchant, deleted: false, sequence: 1 },
      { customerId: gone, merchantId: merchant, deleted: false, sequence: 1 },
    ]);
    await directory.recordAll([
      { customerId: kept, merchantId: newId('mer'), deleted: true, sequence: 9 },
    ]);
    expect(await known(kept)).toEqual({ deleted: false, sequence: 1 });
    expect(await known(gone)).toEqual({ deleted: true, sequence: 3 });
  });

  it('parks a record it cannot read on the DLQ after a few attempts, and carries on', async () => {
    const key = newId('cust');
    await publisher.publish(EventTopics.customers, [{ key, value: '{not json' }]);
    const merchant = newId('mer');
    const after = newId('cust');
    await publisher.publish(EventTopics.customers, [
      customerEvent('customer.created', merchant, after, 1),
    ]);
    // Any consumer group of the topic may park the same record; this one's error names its cause.
    const [parked] = await dlq.waitFor(
      (record) =>
        record.key === key &&
        record.headers[DeadLetterHeaders.error] ===
          'unreadable customer event: the value is not JSON',
      1,
    );
    expect(parked?.headers).toMatchObject({ [DeadLetterHeaders.topic]: EventTopics.customers });
    expect(parked?.value).toBe('{not json');
    await live(merchant, after);
  });
});
