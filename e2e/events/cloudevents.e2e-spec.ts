import { type CloudEvent, Kafka } from 'cloudevents';
import { api, createMerchant, type ApiClient } from '@finfusion/testing';
import { EventTopics, type Customer, type PublicEvent } from '@finfusion/contracts';
import { eventAbout as about, watchEventTopics } from '../support/event-topics.fixture';
import { readTopics } from '../support/kafka-topics.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';

// The event topics read as CloudEvents, with the CloudEvents SDK's Kafka binding, as Knative,
// Dapr or any CloudEvents consumer would read them.

describe('event records as CloudEvents', () => {
  const topics = watchEventTopics();
  let client: ApiClient;

  beforeAll(async () => {
    client = api((await createMerchant()).apiKey);
  });

  it('are valid CloudEvents with the envelope as data, its id, type and time', async () => {
    const payment = paymentOf(await client.post('/v2/payments', paymentBody()));
    const customer = (await client.post('/v2/customers', { email: 'ce@example.com' }))
      .body as Customer;
    await client.delete(`/v2/customers/${customer.id}`);
    await Promise.all([
      topics.payments.waitFor(about(payment.id, `payment.${payment.status}`)),
      topics.customers.waitFor(about(customer.id, 'customer.deleted')),
    ]);

    const records = (
      await readTopics((topic) => (Object.values(EventTopics) as string[]).includes(topic))
    ).filter((record) => record.key === payment.id || record.key === customer.id);
    expect(records.map((r) => r.headers['ce_type']).sort()).toEqual([
      'customer.created',
      'customer.deleted',
      'payment.created',
      `payment.${payment.status}`,
    ]);

    for (const record of records) {
      const message = { ...record, body: record.value, timestamp: '0' };
      expect(Kafka.isEvent(message)).toBe(true);
      const event = Kafka.toEvent(message) as CloudEvent<unknown>;
      const envelope = JSON.parse(record.value ?? '') as PublicEvent;
      expect(event.validate()).toBe(true);
      expect(event).toMatchObject({
        specversion: '1.0',
        id: envelope.id,
        type: envelope.type,
        time: envelope.created_at,
        subject: record.key,
        source: record.key === payment.id ? '/finfusion/payments' : '/finfusion/customers',
        datacontenttype: 'application/json',
        merchantid: envelope.merchant_id,
      });
      expect(event.data).toEqual(envelope);
      // The data schema is served at the path of its URL (event-schemas.e2e-spec validates with it).
      const schema = await api().get(new URL(event.dataschema ?? '').pathname);
      expect([event.type, schema.status]).toEqual([event.type, 200]);
    }
  });
});
