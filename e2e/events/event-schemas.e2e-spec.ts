import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { api, createMerchant, repoRoot, type ApiClient } from '@finfusion/testing';
import { PUBLISHED_SCHEMA_DIR, schemaIdOf, type PublicEvent } from '@finfusion/contracts';
import { eventAbout as about, watchEventTopics } from '../support/event-topics.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';

// The published event schemas, as a consumer meets them: at the URL path of their $id on the
// gateway, byte for byte the committed files, and valid for the events on the topics.

const files = fs
  .readdirSync(path.join(repoRoot, PUBLISHED_SCHEMA_DIR))
  .filter((file) => file.endsWith('.json'));

const pathOf = (url: string) => new URL(url).pathname;

describe('published event schemas', () => {
  const topics = watchEventTopics();
  let client: ApiClient;

  beforeAll(async () => {
    client = api((await createMerchant()).apiKey);
  });

  it.each(files)('serves %s at the path of its $id, without an API key', async (file) => {
    const text = fs.readFileSync(path.join(repoRoot, PUBLISHED_SCHEMA_DIR, file), 'utf8');
    const { $id } = JSON.parse(text) as { $id: string };
    const response = await api().get(pathOf($id));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/schema+json');
    expect(response.text).toBe(text);
  });

  it('answers 404 in the error shape for a schema it does not have', async () => {
    const response = await api().get('/schemas/events/payment.created.v99.json');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'resource_missing' } });
  });

  it('validates the events on the topics with the schema served for their type and version', async () => {
    const created = paymentOf(await client.post('/v2/payments', paymentBody()));
    const customer = (await client.post('/v2/customers', { email: 'schemas@example.com' }))
      .body as { id: string };
    const received = await Promise.all([
      topics.payments.waitFor(about(created.id, (type) => type === 'payment.created')),
      topics.payments.waitFor(about(created.id, (type) => type !== 'payment.created')),
      topics.customers.waitFor(about(customer.id)),
    ]);
    for (const { value } of received) {
      const event = value as PublicEvent;
      const response = await api().get(pathOf(schemaIdOf(event.type, event.schema_version)));
      const ajv = new Ajv2020({ strict: true });
      addFormats(ajv, ['date-time']);
      expect([event.type, ajv.validate(response.body as object, event), ajv.errors ?? []]).toEqual([
        event.type,
        true,
        [],
      ]);
    }
  });
});
