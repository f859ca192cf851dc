import { randomUUID } from 'node:crypto';
import type {
  Customer,
  Payment,
  WebhookDeliveryList,
  WebhookEndpointWithSecret,
} from '@finfusion/contracts';
import {
  api,
  createMerchant,
  query,
  startWebhookReceiver,
  uniqueCardNumber,
  waitUntil,
  type ApiClient,
  type ApiResponse,
  type WebhookReceiver,
} from '@finfusion/testing';
import { paced } from '../support/paced-client.fixture';
import { paymentBody } from '../support/payments.fixture';

// Two merchants at once, each with many requests in flight: on their own resources and on the
// other's (and on those of a third merchant who sends nothing), reads and writes interleaved,
// the same Idempotency-Key values sent by both at the same moment. Every answer must be the
// asker's own resource or a 404 (a 400 naming the field for a body that names a foreign id),
// never the other's data; afterwards the read models and event logs must show every change made
// by the resource's owner, and nothing deleted that its owner did not delete.

jest.setTimeout(120_000);

/** Requests each merchant keeps in flight: both together hold twice as many. */
const IN_FLIGHT_PER_MERCHANT = 16;
/** Under the e2e gateway's 40 requests per second per merchant. */
const PER_SECOND = 30;
/** The plans are shuffled with a fixed seed: requests go out in the same order on every run. */
const SEED = 20260516;
/** A reply that did not come in time (503, 504) is sent again, with the same Idempotency-Key. */
const RETRIES = 3;
/** A 429 is refused before any work is done; it is sent again after Retry-After, this often. */
const RATE_LIMITED_RETRIES = 5;

interface Side {
  name: string;
  merchantId: string;
  client: ApiClient;
  /** Customers read and updated throughout, never deleted. */
  kept: string[];
  /** Customers their owner deletes, once each, during the burst. */
  doomed: string[];
  payments: string[];
  endpoint: string;
  /** An endpoint its owner deletes during the burst. */
  doomedEndpoint: string;
  delivery: string;
  /** Every id the merchant's resources have, including those created during the burst. */
  ids: Set<string>;
}

interface Outcome {
  response: ApiResponse;
  /** Sent more than once when an attempt timed out (503/504): the first may have done the work. */
  attempts: number;
}

/** One request of the burst and what its answer must be. */
interface Call {
  side: Side;
  label: string;
  /** The merchant whose resource the request names: the asker, or another one. */
  target: Side;
  send: () => Promise<ApiResponse>;
  check: (outcome: Outcome) => string | undefined;
}

interface Answered {
  call: Call;
  outcome: Outcome;
}

let receiver: WebhookReceiver;
let alice: Side;
let bob: Side;
let carol: Side;
let carolBefore: string;
const answered: Answered[] = [];
/** Idempotency-Key values sent by both merchants, each with a request of its own. */
const sharedKeys = new Set<string>();
/** Secrets each endpoint had before the burst. */
let secretsBefore: Map<string, number>;

/** mulberry32: a small seeded generator, so the shuffle is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const idOf = (response: ApiResponse): unknown => (response.body as { id?: unknown } | null)?.id;

const errorOf = (response: ApiResponse): { code?: unknown; param?: unknown } =>
  (response.body as { error?: { code?: unknown; param?: unknown } } | null)?.error ?? {};

async function created<T extends { id: string }>(
  client: ApiClient,
  path: string,
  body: unknown,
): Promise<T> {
  const headers = { 'Idempotency-Key': randomUUID() };
  const { response } = await attempt(() => client.post(path, body, headers));
  if (response.status !== 200) throw new Error(`POST ${path}: ${response.status} ${response.text}`);
  return response.body as T;
}

/** A merchant with customers, payments, two endpoints and a delivery, all made through the API. */
async function newSide(name: string): Promise<Side> {
  const merchant = await createMerchant(`Concurrent ${name}`);
  const client = paced(api(merchant.apiKey), PER_SECOND);
  const [endpoint, doomedEndpoint] = await Promise.all(
    [0, 1].map(() =>
      created<WebhookEndpointWithSecret>(client, '/v2/webhooks', {
        url: receiver.url,
        events: ['*'],
        metadata: { owner: name },
      }),
    ),
  );
  const customers = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      created<Customer>(client, '/v2/customers', {
        email: `${name}.${i}@example.com`,
        name: `${name} ${i}`,
        metadata: { owner: name },
      }),
    ),
  );
  const kept = customers.slice(0, 3).map((c) => c.id);
  const payments = await Promise.all(
    kept
      .slice(0, 2)
      .map((customer) =>
        created<Payment>(
          client,
          '/v2/payments',
          paymentBody({ number: uniqueCardNumber() }, { customer, metadata: { owner: name } }),
        ),
      ),
  );
  // A delivery of the endpoint's: its customers' events reach it within moments.
  const delivery: string = await waitUntil(async () => {
    const page = await client.get(`/v2/webhooks/${endpoint!.id}/deliveries`);
    return (page.body as WebhookDeliveryList | null)?.data[0]?.id ?? '';
  }, 30_000);
  return {
    name,
    merchantId: merchant.merchantId,
    client,
    kept,
    doomed: customers.slice(3).map((c) => c.id),
    payments: payments.map((p) => p.id),
    endpoint: endpoint!.id,
    doomedEndpoint: doomedEndpoint!.id,
    delivery,
    ids: new Set([
      ...customers.map((c) => c.id),
      ...payments.map((p) => p.id),
      endpoint!.id,
      doomedEndpoint!.id,
      delivery,
    ]),
  };
}

/**
 * Sends once, and again (same request, same key) while the gateway answers 503 or 504, or 429
 * after its Retry-After: the limiter's window can count a burst the client's pacing spread out.
 */
async function attempt(send: () => Promise<ApiResponse>): Promise<Outcome> {
  for (let attempts = 1, limited = 0; ; attempts++) {
    const response = await send();
    if (response.status === 429 && limited < RATE_LIMITED_RETRIES) {
      limited += 1;
      attempts -= 1; // refused before any work: not an attempt that may have done it
      const seconds = Number(response.headers['retry-after'] ?? '1');
      await new Promise((resolve) => setTimeout(resolve, Math.max(seconds, 1) * 1000));
      continue;
    }
    if (![503, 504].includes(response.status) || attempts > RETRIES) return { response, attempts };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ── What an answer must be ─────────────────────────────────────────────────────────────────

const ownResource =
  (id: string, more?: (body: Record<string, unknown>) => string | undefined) =>
  ({ response }: Outcome): string | undefined => {
    if (response.status !== 200) return `expected 200, got ${response.status} ${response.text}`;
    if (idOf(response) !== id) return `expected ${id}, got ${response.text}`;
    return more?.(response.body as Record<string, unknown>);
  };

const ownDeletion =
  (id: string) =>
  (outcome: Outcome): string | undefined => {
    // A retry after a time-out may find the first attempt's work done; the database says below.
    if (outcome.attempts > 1 && outcome.response.status === 404) return undefined;
    return ownResource(id, (body) =>
      body.deleted === true ? undefined : `not deleted: ${outcome.response.text}`,
    )(outcome);
  };

const missing =
  (param: string, status = 404) =>
  ({ response }: Outcome): string | undefined => {
    const error = errorOf(response);
    if (response.status !== status || error.code !== 'resource_missing' || error.param !== param) {
      return `expected ${status} resource_missing for ${param}, got ${response.status} ${response.text}`;
    }
    return undefined;
  };

/** A list of the asker's: 200 (or a 400 for a filter it refuses). */
const ownList = ({ response }: Outcome): string | undefined =>
  [200, 400].includes(response.status)
    ? undefined
    : `expected 200 or 400, got ${response.status} ${response.text}`;

// ── The burst ──────────────────────────────────────────────────────────────────────────────

/** Everything `side` asks during the burst, on its own ids and on those of `others`. */
function callsOf(side: Side, others: Side[], keys: Keys): Call[] {
  const { client } = side;
  const calls: Call[] = [];
  const own = (label: string, send: Call['send'], check: Call['check']) =>
    calls.push({ side, target: side, label, send, check });
  const foreign = (target: Side, label: string, send: Call['send'], check: Call['check']) =>
    calls.push({ side, target, label, send, check });
  const keyed = (key: string) => ({ 'Idempotency-Key': key });

  for (const id of side.kept) {
    for (let round = 0; round < 2; round++) {
      own(`GET own customer ${id}`, () => client.get(`/v2/customers/${id}`), ownResource(id));
      own(
        `PATCH own customer ${id}`,
        () => client.patch(`/v2/customers/${id}`, { metadata: { writer: side.name } }),
        ownResource(id, (body) =>
          (body.metadata as Record<string, unknown>).writer === side.name
            ? undefined
            : `metadata ${JSON.stringify(body.metadata)}`,
        ),
      );
    }
  }
  for (const id of side.doomed) {
    own(`DELETE own customer ${id}`, () => client.delete(`/v2/customers/${id}`), ownDeletion(id));
  }
  for (const id of side.payments) {
    own(`GET own payment ${id}`, () => client.get(`/v2/payments/${id}`), ownResource(id));
    own(
      `GET own payment events ${id}`,
      () => client.get(`/v2/payments/${id}/events`),
      (o) =>
        o.response.status === 200 && o.response.text.includes(id)
          ? undefined
          : `expected its events, got ${o.response.status} ${o.response.text}`,
    );
  }
  keys.payments.forEach((key, i) => {
    const customer = side.kept[i % side.kept.length]!;
    // Built once: a retry sends the same body with the same key.
    const body = paymentBody({ number: uniqueCardNumber() }, { customer });
    own(
      `POST own payment with shared key ${key}`,
      () => client.post('/v2/payments', body, keyed(key)),
      (outcome) => {
        const problem = ownCreation(outcome);
        const body = outcome.response.body as Partial<Payment> | null;
        return problem ?? (body?.customer === customer ? undefined : `customer ${body?.customer}`);
      },
    );
  });
  keys.customers.forEach((key, i) => {
    own(
      `POST own customer with shared key ${key}`,
      () => client.post('/v2/customers', { email: `${side.name}.new${i}@example.com` }, keyed(key)),
      (outcome) => {
        const problem = ownCreation(outcome);
        const email = (outcome.response.body as Partial<Customer> | null)?.email;
        return problem ?? (email?.startsWith(`${side.name}.`) === true ? undefined : `${email}`);
      },
    );
  });
  own(
    `POST own endpoint with shared key ${keys.endpoint}`,
    () =>
      client.post(
        '/v2/webhooks',
        { url: receiver.url, events: ['customer.created'], metadata: { owner: side.name } },
        keyed(keys.endpoint),
      ),
    (outcome) => ownCreation(outcome),
  );
  for (let round = 0; round < 2; round++) {
    own(
      `GET own endpoint`,
      () => client.get(`/v2/webhooks/${side.endpoint}`),
      ownResource(side.endpoint),
    );
    own(
      `PATCH own endpoint`,
      () => client.patch(`/v2/webhooks/${side.endpoint}`, { metadata: { writer: side.name } }),
      ownResource(side.endpoint),
    );
    own(
      `GET own deliveries`,
      () => client.get(`/v2/webhooks/${side.endpoint}/deliveries?limit=100`),
      ownList,
    );
  }
  keys.rotations.forEach((key) => {
    own(
      `POST own rotate_secret with shared key ${key}`,
      () => client.post(`/v2/webhooks/${side.endpoint}/rotate_secret`, {}, keyed(key)),
      ownResource(side.endpoint, (body) =>
        String(body.secret).startsWith('whsec_') ? undefined : 'no new secret',
      ),
    );
  });
  const resendKey = keyed(randomUUID());
  own(
    `POST own resend`,
    () =>
      client.post(
        `/v2/webhooks/${side.endpoint}/deliveries/${side.delivery}/resend`,
        undefined,
        resendKey,
      ),
    ownResource(side.delivery),
  );
  own(
    `DELETE own endpoint ${side.doomedEndpoint}`,
    () => client.delete(`/v2/webhooks/${side.doomedEndpoint}`),
    ownDeletion(side.doomedEndpoint),
  );
  own(`GET own customers`, () => client.get('/v2/customers?limit=100'), ownList);
  own(`GET own payments`, () => client.get('/v2/payments?limit=100'), ownList);

  // The i-th payment naming another merchant's customer has the i-th shared key, for both askers.
  let foreignPayments = 0;
  for (const other of others) {
    for (const id of [...other.kept, ...other.doomed]) {
      const path = `/v2/customers/${id}`;
      foreign(other, `GET ${other.name}'s customer`, () => client.get(path), missing('id'));
      foreign(
        other,
        `PATCH ${other.name}'s customer`,
        () => client.patch(path, { metadata: { writer: side.name } }),
        missing('id'),
      );
      foreign(other, `DELETE ${other.name}'s customer`, () => client.delete(path), missing('id'));
      const key = keys.foreignPayments[foreignPayments++];
      if (key === undefined) throw new Error('too few shared keys for foreign payments');
      const body = paymentBody({ number: uniqueCardNumber() }, { customer: id });
      foreign(
        other,
        `POST payment naming ${other.name}'s customer with shared key ${key}`,
        () => client.post('/v2/payments', body, keyed(key)),
        missing('customer', 400),
      );
      foreign(
        other,
        `GET payments of ${other.name}'s customer`,
        () => client.get(`/v2/payments?customer=${id}`),
        ownList,
      );
    }
    for (const id of other.payments) {
      foreign(
        other,
        `GET ${other.name}'s payment`,
        () => client.get(`/v2/payments/${id}`),
        missing('id'),
      );
      foreign(
        other,
        `GET ${other.name}'s payment events`,
        () => client.get(`/v2/payments/${id}/events`),
        missing('id'),
      );
    }
    for (const id of [other.endpoint, other.doomedEndpoint]) {
      const path = `/v2/webhooks/${id}`;
      foreign(other, `GET ${other.name}'s endpoint`, () => client.get(path), missing('id'));
      foreign(
        other,
        `PATCH ${other.name}'s endpoint`,
        () => client.patch(path, { metadata: { writer: side.name } }),
        missing('id'),
      );
      foreign(other, `DELETE ${other.name}'s endpoint`, () => client.delete(path), missing('id'));
      const rotateKey = keyed(randomUUID());
      foreign(
        other,
        `POST rotate_secret of ${other.name}'s endpoint`,
        () => client.post(`${path}/rotate_secret`, {}, rotateKey),
        missing('id'),
      );
      foreign(
        other,
        `GET ${other.name}'s deliveries`,
        () => client.get(`${path}/deliveries`),
        missing('id'),
      );
    }
    const [resendOther, resendOwn] = [keyed(randomUUID()), keyed(randomUUID())];
    foreign(
      other,
      `POST resend of ${other.name}'s delivery`,
      () =>
        client.post(
          `/v2/webhooks/${other.endpoint}/deliveries/${other.delivery}/resend`,
          undefined,
          resendOther,
        ),
      missing('id'),
    );
    foreign(
      other,
      `POST resend of ${other.name}'s delivery through an own endpoint`,
      () =>
        client.post(
          `/v2/webhooks/${side.endpoint}/deliveries/${other.delivery}/resend`,
          undefined,
          resendOwn,
        ),
      missing('delivery_id'),
    );
  }
  return calls;
}

/** A create answered 200 with a new resource, not replayed (the key is new to the asker). */
function ownCreation({ response }: Outcome): string | undefined {
  if (response.status !== 200) return `expected 200, got ${response.status} ${response.text}`;
  if (typeof idOf(response) !== 'string') return `no id in ${response.text}`;
  if (response.headers['idempotent-replayed'] === 'true') return 'a replay';
  return undefined;
}

interface Keys {
  payments: string[];
  foreignPayments: string[];
  customers: string[];
  rotations: string[];
  endpoint: string;
}

/** Requests in flight now, and the most there were at once, over both merchants. */
const flight = { now: 0, most: 0 };

/** Runs `calls` with at most `limit` of them in flight at once. */
async function inFlight(calls: Call[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++]!;
      const outcome = await attempt(async () => {
        flight.most = Math.max(flight.most, ++flight.now);
        try {
          return await call.send();
        } finally {
          flight.now--;
        }
      });
      answered.push({ call, outcome });
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

// ── What the database holds ────────────────────────────────────────────────────────────────

/** A merchant's rows in every service, as text: what no other merchant may change. */
async function rowsOf(merchantId: string): Promise<string> {
  const [row] = await query(
    `SELECT
       (SELECT json_agg(c ORDER BY c.id) FROM customers.customers c WHERE merchant_id = $1)
         AS customers,
       (SELECT json_agg(json_build_object('id', p.id, 'status', p.status, 'customer',
          p.customer_id, 'metadata', p.metadata, 'version', p.version) ORDER BY p.id)
          FROM payments.payments p WHERE merchant_id = $1) AS payments,
       (SELECT json_agg(json_build_object('id', e.id, 'url', e.url, 'status', e.status,
          'metadata', e.metadata, 'deleted_at', e.deleted_at) ORDER BY e.id)
          FROM webhooks.endpoints e WHERE merchant_id = $1) AS endpoints,
       (SELECT json_agg(s.id ORDER BY s.id) FROM webhooks.endpoint_secrets s
          JOIN webhooks.endpoints e ON e.id = s.endpoint_id WHERE e.merchant_id = $1) AS secrets,
       (SELECT count(*) FROM customers.events WHERE metadata->>'merchantId' = $1)
         AS customer_events,
       (SELECT count(*) FROM payments.events WHERE metadata->>'merchantId' = $1)
         AS payment_events`,
    [merchantId],
  );
  return JSON.stringify(row);
}

async function secretCounts(endpoints: string[]): Promise<Map<string, number>> {
  const rows = await query(
    `SELECT e.id, count(s.id)::int AS secrets FROM webhooks.endpoints e
       LEFT JOIN webhooks.endpoint_secrets s ON s.endpoint_id = e.id
      WHERE e.id = ANY($1) GROUP BY e.id`,
    [endpoints],
  );
  return new Map(rows.map((r) => [r.id as string, r.secrets as number]));
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map(newSide))) as [
    Side,
    Side,
    Side,
  ];
  carolBefore = await rowsOf(carol.merchantId);
  secretsBefore = await secretCounts([alice, bob, carol].map((s) => s.endpoint));
}, 120_000);

afterAll(async () => {
  await receiver.close();
});

it("answers two merchants hammering their own and each other's ids at once, each with its own", async () => {
  const shared = (prefix: string, count: number) =>
    Array.from({ length: count }, () => {
      const key = `${prefix}-${randomUUID()}`;
      sharedKeys.add(key);
      return key;
    });
  const keys: Keys = {
    payments: shared('pay', 4),
    foreignPayments: shared('xpay', 12),
    customers: shared('cust', 4),
    rotations: shared('rot', 2),
    endpoint: shared('whk', 1)[0]!,
  };
  const startedAt = Date.now();
  const random = seeded(SEED);
  const plans = [
    shuffled(callsOf(alice, [bob, carol], keys), random),
    shuffled(callsOf(bob, [alice, carol], keys), random),
  ];
  await Promise.all(plans.map((plan) => inFlight(plan, IN_FLIGHT_PER_MERCHANT)));
  const foreign = answered.filter((a) => a.call.target !== a.call.side).length;
  // eslint-disable-next-line no-console -- the burst's summary: requests, concurrency, time
  console.log(
    `concurrent access: ${answered.length} requests (${foreign} on other merchants' ids) in ` +
      `${((Date.now() - startedAt) / 1000).toFixed(1)} s, at most ${flight.most} in flight, ` +
      `${answered.filter((a) => a.outcome.attempts > 1).length} sent again after a time-out`,
  );

  const problems: string[] = [];
  for (const { call, outcome } of answered) {
    const problem = call.check(outcome);
    if (problem !== undefined) problems.push(`${call.side.name}: ${call.label}: ${problem}`);
    // What an answer on the asker's own ids names is the asker's (the database says so below).
    const id = idOf(outcome.response);
    if (call.target === call.side && outcome.response.status === 200 && typeof id === 'string') {
      call.side.ids.add(id);
    }
  }
  const everyone = [alice, bob, carol];
  for (const { call, outcome } of answered) {
    const { response } = outcome;
    // Nothing of another merchant in any answer: not its ids, not its merchant id.
    const text = `${response.text}\n${JSON.stringify(response.headers)}`;
    for (const other of everyone.filter((s) => s !== call.side)) {
      const seen = [other.merchantId, ...other.ids].filter((token) => text.includes(token));
      if (seen.length > 0) {
        problems.push(`${call.side.name}: ${call.label}: shows ${other.name}'s ${seen.join(', ')}`);
      }
    }
  }
  expect(problems).toEqual([]);
  expect(foreign).toBeGreaterThan(100);
  // Real concurrency: both merchants had many requests open at the same time.
  expect(flight.most).toBeGreaterThan(IN_FLIGHT_PER_MERCHANT);
});

it('keeps every change in the read models and the event logs with its owner', async () => {
  const sides = [alice, bob];
  const merchants = sides.map((s) => s.merchantId);
  const ownerOf = new Map(sides.flatMap((s) => [...s.ids].map((id) => [id, s.merchantId])));

  // Every resource an answer named is its asker's, in the row that holds it.
  const rows = await query(
    `SELECT id, merchant_id FROM customers.customers WHERE id = ANY($1)
     UNION ALL SELECT id, merchant_id FROM payments.payments WHERE id = ANY($1)
     UNION ALL SELECT id, merchant_id FROM webhooks.endpoints WHERE id = ANY($1)
     UNION ALL SELECT id, merchant_id FROM webhooks.deliveries WHERE id = ANY($1)`,
    [[...ownerOf.keys()]],
  );
  expect(rows.filter((r) => ownerOf.get(r.id as string) !== r.merchant_id)).toEqual([]);
  expect(rows).toHaveLength(ownerOf.size);

  // Every event of a customer or payment stream was written by its owner's requests.
  const strangers = await query(
    `SELECT e.stream_id, e.event_type, e.metadata->>'merchantId' AS writer, c.merchant_id AS owner
       FROM customers.events e JOIN customers.customers c ON c.id = e.stream_id
      WHERE (c.merchant_id = ANY($1) OR e.metadata->>'merchantId' = ANY($1))
        AND e.metadata->>'merchantId' IS DISTINCT FROM c.merchant_id
     UNION ALL
     SELECT e.stream_id, e.event_type, e.metadata->>'merchantId', p.merchant_id
       FROM payments.events e JOIN payments.payments p ON p.id = e.stream_id
      WHERE (p.merchant_id = ANY($1) OR e.metadata->>'merchantId' = ANY($1))
        AND e.metadata->>'merchantId' IS DISTINCT FROM p.merchant_id`,
    [[...merchants, carol.merchantId]],
  );
  expect(strangers).toEqual([]);

  // Deleted: exactly what the owners deleted, each once, and by the owner.
  const deletedCustomers = await query(
    `SELECT c.id, count(e.*)::int AS deletions,
            bool_and(e.metadata->>'merchantId' = c.merchant_id) AS by_owner
       FROM customers.customers c
       LEFT JOIN customers.events e
         ON e.stream_id = c.id AND e.event_type = 'CustomerDeleted'
      WHERE c.merchant_id = ANY($1) AND (c.deleted_at IS NOT NULL OR e.stream_id IS NOT NULL)
      GROUP BY c.id ORDER BY c.id`,
    [[...merchants, carol.merchantId]],
  );
  expect(deletedCustomers).toEqual(
    sides
      .flatMap((s) => s.doomed)
      .sort()
      .map((id) => ({ id, deletions: 1, by_owner: true })),
  );
  const deletedEndpoints = await query(
    `SELECT id FROM webhooks.endpoints
      WHERE merchant_id = ANY($1) AND deleted_at IS NOT NULL ORDER BY id`,
    [[...merchants, carol.merchantId]],
  );
  expect(deletedEndpoints.map((r) => r.id)).toEqual(sides.map((s) => s.doomedEndpoint).sort());

  // What was written into a merchant's resources is its own: metadata, payments' customers.
  const foreignWrites = await query(
    `SELECT 'customer' AS kind, id, merchant_id, metadata->>'writer' AS writer
       FROM customers.customers WHERE merchant_id = ANY($1) AND metadata ? 'writer'
     UNION ALL
     SELECT 'endpoint', id, merchant_id, metadata->>'writer'
       FROM webhooks.endpoints WHERE merchant_id = ANY($1) AND metadata ? 'writer'`,
    [merchants],
  );
  const nameOf = new Map(sides.map((s) => [s.merchantId, s.name]));
  expect(foreignWrites.filter((r) => nameOf.get(r.merchant_id as string) !== r.writer)).toEqual([]);
  expect(foreignWrites.length).toBeGreaterThan(0);
  const paymentCustomers = await query(
    `SELECT p.id, p.merchant_id, c.merchant_id AS customer_merchant
       FROM payments.payments p JOIN customers.customers c ON c.id = p.customer_id
      WHERE p.merchant_id = ANY($1) AND c.merchant_id <> p.merchant_id`,
    [merchants],
  );
  expect(paymentCustomers).toEqual([]);
  const directory = await query(
    `SELECT k.customer_id FROM payments.known_customers k
       JOIN customers.customers c ON c.id = k.customer_id
      WHERE c.merchant_id = ANY($1) AND k.merchant_id <> c.merchant_id`,
    [[...merchants, carol.merchantId]],
  );
  expect(directory).toEqual([]);

  // Each shared Idempotency-Key: one record per merchant, and what it made is that merchant's.
  const records = await query(
    `SELECT key, merchant_id, state FROM gateway.idempotency_keys
      WHERE key = ANY($1) ORDER BY key, merchant_id`,
    [[...sharedKeys]],
  );
  expect(records.filter((r) => !merchants.includes(r.merchant_id as string))).toEqual([]);
  expect(records.filter((r) => r.state !== 'completed')).toEqual([]);
  const perKey = new Map<string, Set<unknown>>();
  for (const r of records) {
    perKey.set(r.key as string, (perKey.get(r.key as string) ?? new Set()).add(r.merchant_id));
  }
  expect([...sharedKeys].filter((key) => perKey.get(key)?.size !== 2)).toEqual([]);
  const madeWithKeys = await query(
    `SELECT 'payment' AS kind, k.idempotency_key AS key, k.merchant_id, p.merchant_id AS owner
       FROM payments.idempotency_keys k JOIN payments.payments p ON p.id = k.payment_id
      WHERE k.idempotency_key = ANY($1)
     UNION ALL
     SELECT 'customer', idempotency_key, merchant_id, merchant_id
       FROM customers.customers WHERE idempotency_key = ANY($1)
     UNION ALL
     SELECT 'endpoint', idempotency_key, merchant_id, merchant_id
       FROM webhooks.endpoints WHERE idempotency_key = ANY($1)`,
    [[...sharedKeys]],
  );
  expect(madeWithKeys.filter((r) => r.merchant_id !== r.owner)).toEqual([]);
  // Two of each (one per merchant): payments, customers and the endpoint; no foreign payment.
  expect(madeWithKeys).toHaveLength(2 * (4 + 4 + 1));
  for (const side of sides) {
    expect(madeWithKeys.filter((r) => r.merchant_id === side.merchantId)).toHaveLength(9);
  }

  // Secrets: one more per rotation its owner asked for, none for the other merchant's.
  const secretsAfter = await secretCounts([alice, bob, carol].map((s) => s.endpoint));
  for (const side of [alice, bob, carol]) {
    const rotations = answered.filter(
      (a) => a.call.side === side && a.call.label.startsWith('POST own rotate_secret'),
    );
    const added = (secretsAfter.get(side.endpoint) ?? 0) - (secretsBefore.get(side.endpoint) ?? 0);
    const answeredOk = rotations.filter((a) => a.outcome.response.status === 200).length;
    const sent = rotations.reduce((n, a) => n + a.outcome.attempts, 0);
    expect({ endpoint: side.name, added: Math.min(Math.max(added, answeredOk), sent) }).toEqual({
      endpoint: side.name,
      added,
    });
  }

  // The merchant who sent nothing has exactly what it had.
  expect(await rowsOf(carol.merchantId)).toBe(carolBefore);
});
