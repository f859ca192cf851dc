import {
  api,
  collectEvents,
  createMerchant,
  query,
  type ApiClient,
  type CollectedEvent,
  type EventCollector,
} from '@finfusion/testing';
import { EventTopics, type Customer, type PublicEvent } from '@finfusion/contracts';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import { republish } from '../support/republish.fixture';

// `npm run republish`: a range of the Postgres event log sent again to its topic, as the relay
// sent it, for backfills and new consumers.

const ofMerchant = (merchantId: string) => (event: CollectedEvent) =>
  ((event.value ?? {}) as Partial<PublicEvent>).merchant_id === merchantId;

describe('republish', () => {
  let client: ApiClient;
  let merchantId: string;
  let payments: EventCollector;

  beforeAll(async () => {
    const merchant = await createMerchant();
    merchantId = merchant.merchantId;
    client = api(merchant.apiKey);
    payments = await collectEvents(EventTopics.payments);
  });

  afterAll(async () => {
    await payments.stop();
  });

  it('sends a range of the payments log again: the same ids, keys and headers, in order per key', async () => {
    const created = [];
    for (let i = 0; i < 3; i += 1)
      created.push(paymentOf(await client.post('/v2/payments', paymentBody())));
    const streams = created.map((payment) => payment.id);
    const mine = ofMerchant(merchantId);
    const outcome = (id: string) => (event: CollectedEvent) =>
      mine(event) && event.key === id && (event.value as PublicEvent).type !== 'payment.created';
    await Promise.all(streams.map((id) => payments.waitFor(outcome(id))));
    const [range] = await query(
      `SELECT min(global_position)::text AS first, max(global_position)::text AS last
         FROM payments.events WHERE stream_id = ANY($1::text[])`,
      [streams],
    );
    const published = payments.events.filter(mine);
    expect(published).toHaveLength(6);

    const { stdout } = await republish('payments', [
      '--topic',
      EventTopics.payments,
      '--from',
      String(range?.first),
      '--to',
      String(range?.last),
    ]);
    expect(stdout).toMatch(/^payments\.payment\.events: \d+ events sent again/m);
    await payments.waitFor(
      (event) => mine(event) && payments.events.filter(mine).length >= 12,
      30_000,
    );

    const sent = payments.events.filter(mine);
    const again = sent.slice(6);
    const shape = (event: CollectedEvent) => ({
      key: event.key,
      value: event.value,
      headers: withoutTrace(event.headers),
    });
    expect(again.map(shape).sort(byId)).toEqual(published.map(shape).sort(byId));
    for (const id of streams) {
      const sequences = again
        .filter((event) => event.key === id)
        .map((event) => (event.value as PublicEvent).sequence);
      expect([id, sequences]).toEqual([id, [1, 2]]);
    }
  });

  it('sends customer events from a date, and refuses a range it cannot read', async () => {
    const customers = await collectEvents(EventTopics.customers);
    try {
      const since = new Date(Date.now() - 1000).toISOString();
      const customer = (await client.post('/v2/customers', { email: 'again@example.com' }))
        .body as Customer;
      const original = await customers.waitFor((event) => event.key === customer.id);
      const { stdout } = await republish('customers', [
        '--topic',
        EventTopics.customers,
        '--from',
        since,
      ]);
      expect(stdout).toMatch(/^customers\.customer\.events: \d+ events sent again/m);
      await customers.waitFor(
        (event) =>
          event.key === customer.id &&
          customers.events.filter((e) => e.key === customer.id).length === 2,
        30_000,
      );
      const copies = customers.events.filter((event) => event.key === customer.id);
      expect(copies[1]?.value).toEqual(original.value);
      expect(withoutTrace(copies[1]?.headers ?? {})).toEqual(withoutTrace(original.headers));

      const refused = await failure(
        republish('customers', ['--topic', EventTopics.customers, '--from', 'yesterday']),
      );
      expect(refused?.code).toBe(2);
      expect(refused?.stderr).toMatch(/^usage: npm run republish/);
      const unknown = await failure(
        republish('customers', ['--topic', 'customers.typo', '--from', '0']),
      );
      expect(unknown?.code).toBe(2);
      // Another service's topic: not this command's business.
      await expect(
        republish('customers', ['--topic', EventTopics.payments, '--from', '0']),
      ).resolves.toMatchObject({ stdout: '' });
    } finally {
      await customers.stop();
    }
  });
});

/** The headers but the trace context, which belongs to the relay's send, not to the event. */
const withoutTrace = (headers: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => name !== 'traceparent' && name !== 'tracestate'),
  );

const byId = (a: { value: unknown }, b: { value: unknown }) =>
  (a.value as PublicEvent).id.localeCompare((b.value as PublicEvent).id);

/** The error a command ended with, or undefined when it succeeded. */
const failure = (command: Promise<unknown>) =>
  command.then(
    () => undefined,
    (error: unknown) => error as { code?: number; stderr?: string },
  );
