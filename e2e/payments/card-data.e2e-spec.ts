import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  api,
  collectEvents,
  createMerchant,
  query,
  serviceLogs,
  testLogDir,
  uniqueCardNumber,
  waitUntil,
  type ApiClient,
  type ApiResponse,
  type EventCollector,
} from '@finfusion/testing';
import { EventTopics, REPLY_TOPIC, type Customer, type Payment } from '@finfusion/contracts';
import { readTopics, type TopicRecord } from '../support/kafka-topics.fixture';
import { paced } from '../support/paced-client.fixture';
import { paymentBody, paymentOf, randomCvc } from '../support/payments.fixture';

// A full card number or CVC is never stored, logged, published or echoed. Numbers and
// CVCs nobody else uses are sent through every path a merchant can take, then the test database,
// every payments topic and every service's log are searched for them. Each search is first shown
// to find a value that is there, so that a search that cannot find anything cannot pass.

const logDir = testLogDir;

/** The digits with at most one space or dash between any two (4242 4242…, 4242-4242…). */
const digitsPattern = (digits: string): string => digits.split('').join('[ -]?');

/** A `cvc` field with digits, also inside escaped JSON and Postgres' quoted row text. */
const CVC_FIELD = String.raw`[\\"]*cvc[\\"]*\s*:\s*[\\"]*[0-9]{3,4}`;

interface Secret {
  label: string;
  number: string;
}

describe('card numbers and CVCs', () => {
  let alice: ApiClient;
  let merchantId: string;
  let bob: ApiClient;
  let events: EventCollector;
  const secrets: Secret[] = [];
  const cvcs: string[] = [];
  const payments: Payment[] = [];
  const responses: ApiResponse[] = [];

  const secret = (label: string, number: string): string => {
    secrets.push({ label, number });
    return number;
  };
  const cvc = (length = 3): string => {
    const value = randomCvc(length);
    cvcs.push(value);
    return value;
  };
  const send = async (request: Promise<ApiResponse>, expected: number): Promise<ApiResponse> => {
    const response = await request;
    responses.push(response);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: expected });
    const isPayment = (response.body as { object?: unknown } | null)?.object === 'payment';
    if (isPayment || response.status === 402) {
      const payment = paymentOf(response);
      if (!payments.some((p) => p.id === payment.id)) payments.push(payment);
    }
    return response;
  };

  beforeAll(async () => {
    const merchant = await createMerchant();
    merchantId = merchant.merchantId;
    alice = paced(api(merchant.apiKey));
    bob = paced(api((await createMerchant()).apiKey));
    events = await collectEvents(EventTopics.payments);

    const key = randomUUID();
    const visa = secret('visa', uniqueCardNumber('4'));
    const visaCvc = cvc();
    // Succeeded, then replayed by the gateway, then the key reused with another CVC.
    await send(
      alice.post('/v2/payments', paymentBody({ number: visa, cvc: visaCvc }), {
        'idempotency-key': key,
      }),
      200,
    );
    await send(
      alice.post('/v2/payments', paymentBody({ number: visa, cvc: visaCvc }), {
        'idempotency-key': key,
      }),
      200,
    );
    await send(
      alice.post('/v2/payments', paymentBody({ number: visa, cvc: cvc() }), {
        'idempotency-key': key,
      }),
      400,
    );

    const customer = (await alice.post('/v2/customers', { email: 'card-data@example.com' }))
      .body as Customer;
    await send(
      alice.post(
        '/v2/payments',
        paymentBody(
          { number: secret('mastercard', uniqueCardNumber('51')), cvc: cvc() },
          { customer: customer.id },
        ),
      ),
      200,
    );
    await send(
      alice.post(
        '/v2/payments',
        paymentBody({ number: secret('amex', uniqueCardNumber('37', 15)), cvc: cvc(4) }),
      ),
      200,
    );
    await send(
      alice.post(
        '/v2/payments',
        paymentBody({ number: secret('discover', uniqueCardNumber('6011')), cvc: cvc() }),
      ),
      200,
    );
    // Fails (402) after reaching the service: an expiry in the past.
    await send(
      alice.post(
        '/v2/payments',
        paymentBody({
          number: secret('expired', uniqueCardNumber('4')),
          cvc: cvc(),
          exp_month: 1,
          exp_year: 2024,
        }),
      ),
      402,
    );
    // Reaches the service, which opens the card, then refuses another merchant's customer.
    await send(
      bob.post(
        '/v2/payments',
        paymentBody(
          { number: secret('foreign customer', uniqueCardNumber('4')), cvc: cvc() },
          { customer: customer.id },
        ),
      ),
      400,
    );

    // Refused by the gateway: the card never leaves it, and no answer or log repeats it.
    const refused = secret('wrong CVC length', uniqueCardNumber('4'));
    await send(
      alice.post('/v2/payments', paymentBody({ number: refused, cvc: `${cvc()}77` })),
      400,
    );
    const valid = uniqueCardNumber('4');
    const luhnFailing = secret(
      'fails Luhn',
      `${valid.slice(0, -1)}${(Number(valid.at(-1)) + 1) % 10}`,
    );
    await send(alice.post('/v2/payments', paymentBody({ number: luhnFailing, cvc: cvc() })), 400);
    const inMetadata = secret('in metadata', uniqueCardNumber('4'));
    await send(
      alice.post('/v2/payments', paymentBody({}, { metadata: { note: `card ${inMetadata}` } })),
      400,
    );
    const asKey = secret('as a key', uniqueCardNumber('4'));
    await send(alice.post('/v2/payments', paymentBody({ [asKey]: cvc() })), 400);
    const grouped = secret('grouped with spaces', uniqueCardNumber('4'));
    await send(
      alice.post(
        '/v2/payments',
        paymentBody({ number: grouped.replace(/(\d{4})(?=\d)/g, '$1 '), cvc: cvc() }),
      ),
      400,
    );
    const asId = secret('as a path id', uniqueCardNumber('4'));
    await send(alice.get(`/v2/payments/${asId}`), 404);
    await send(alice.get(`/v2/payments/${asId}/events`), 404);
    const asQuery = secret('as a query value', uniqueCardNumber('4'));
    await send(alice.get(`/v2/payments?customer=${asQuery}`), 400);
    await send(alice.get(`/v2/payments?starting_after=${asQuery}`), 400);

    // The read routes too, so their topics carry this merchant's requests and replies.
    await send(alice.get(`/v2/payments/${payments[0]!.id}`), 200);
    await send(alice.get(`/v2/payments/${payments[0]!.id}/events`), 200);
    await send(alice.get('/v2/payments?limit=100'), 200);

    expect(payments.map((p) => p.payment_method.card.brand)).toEqual([
      'visa',
      'mastercard',
      'amex',
      'discover',
      'visa',
    ]);
    // Everything the relay publishes for these payments, and the services' log lines, are out.
    for (const payment of payments) {
      await events.waitFor(
        (e) => e.key === payment.id && (e.value as { sequence?: number }).sequence === 2,
        20_000,
      );
      await waitUntil(() => serviceLogs('payments').includes(payment.id), 10_000);
    }
  });

  afterAll(async () => {
    await events.stop();
  });

  const leaksIn = (text: string): string[] => {
    const found = secrets
      .filter(({ number }) =>
        [number, number.slice(0, -4)].some((digits) =>
          new RegExp(digitsPattern(digits)).test(text),
        ),
      )
      .map(({ label }) => label);
    if (new RegExp(CVC_FIELD, 'i').test(text)) found.push('a cvc field');
    return found;
  };

  it('finds what it searches for when it is there', () => {
    const [first] = secrets;
    expect(leaksIn(`{"number":"${first!.number}"}`)).toEqual([first!.label]);
    expect(leaksIn(first!.number.replace(/(\d{4})(?=\d)/g, '$1-'))).toEqual([first!.label]);
    expect(leaksIn(first!.number.slice(0, -4))).toEqual([first!.label]);
    expect(leaksIn(String.raw`{\"cvc\": \"${cvcs[0]!}\"}`)).toEqual(['a cvc field']);
    expect(leaksIn('"{""cvc"": ""1234""}"')).toEqual(['a cvc field']);
    expect(leaksIn(JSON.stringify(payments))).toEqual([]);
  });

  it('answers with neither', () => {
    for (const response of responses) {
      expect({ text: response.text, leaks: leaksIn(response.text) }).toEqual({
        text: response.text,
        leaks: [],
      });
      for (const value of cvcs.filter((c) => c.length === 4)) {
        expect(response.text).not.toContain(`"${value}"`);
      }
    }
  });

  describe('in the test database (every table of every schema)', () => {
    const tables = async (): Promise<string[]> =>
      (
        await query(
          `SELECT format('%I.%I', table_schema, table_name) AS name
             FROM information_schema.tables
            WHERE table_type = 'BASE TABLE'
              AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1`,
        )
      ).map((row) => String(row.name));

    const tablesMatching = async (pattern: string): Promise<string[]> => {
      const found: string[] = [];
      for (const table of await tables()) {
        const [row] = await query(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text ~* $1`, [
          pattern,
        ]);
        if (Number(row?.n) > 0) found.push(table);
      }
      return found;
    };

    it('finds a payment id and a planted number or cvc field, proving the search', async () => {
      const all = await tables();
      expect(all).toEqual(
        expect.arrayContaining([
          'gateway.idempotency_keys',
          'payments.events',
          'payments.payments',
          'customers.customers',
        ]),
      );
      // The gateway keeps its idempotent responses encrypted: the id is not there in clear.
      expect(await tablesMatching(payments[0]!.id)).toEqual(
        expect.arrayContaining(['payments.events', 'payments.payments']),
      );
      const number = secrets[0]!.number;
      const planted = await query(
        `SELECT t::text ~* $1 AS number, t::text ~* $2 AS cvc
           FROM (VALUES ($3::text, $4::jsonb)) AS t(a, b)`,
        [
          digitsPattern(number),
          CVC_FIELD,
          number.replace(/(\d{4})(?=\d)/g, '$1 '),
          JSON.stringify({ card: { cvc: cvcs[0] } }),
        ],
      );
      expect(planted).toEqual([{ number: true, cvc: true }]);
    });

    it('holds no card number, whole or all but its last four digits, and no cvc field', async () => {
      const patterns = secrets
        .flatMap(({ number }) => [number, number.slice(0, -4)])
        .map(digitsPattern);
      expect(await tablesMatching(patterns.join('|'))).toEqual([]);
      expect(await tablesMatching(CVC_FIELD)).toEqual([]);
    });
  });

  describe('on Kafka (every payments topic, read from the beginning)', () => {
    let records: TopicRecord[];
    const textOf = (r: TopicRecord) =>
      [r.key ?? '', r.value ?? '', ...Object.entries(r.headers).flat()].join('\n');

    beforeAll(async () => {
      records = await readTopics((topic) => topic.startsWith('payments.') || topic === REPLY_TOPIC);
    });

    it('reads the requests, replies and events of these payments, proving the search', () => {
      const topics = new Set(records.map((r) => r.topic));
      for (const topic of [
        'payments.create',
        'payments.get',
        'payments.list',
        REPLY_TOPIC,
        EventTopics.payments,
      ]) {
        expect({ topic, read: topics.has(topic) }).toEqual({ topic, read: true });
      }
      const mine = records.filter((r) => r.value?.includes(merchantId));
      const created = mine.filter((r) => r.topic === 'payments.create');
      expect(created.length).toBeGreaterThanOrEqual(5);
      // The card crosses sealed: ciphertext, no number.
      for (const r of created) expect(r.value).toMatch(/"sealed":"v1\.[^"]+"/);
      for (const payment of payments) {
        const about = records.filter((r) => r.value?.includes(payment.id)).map((r) => r.topic);
        expect(about).toEqual(expect.arrayContaining([REPLY_TOPIC, EventTopics.payments]));
      }
    });

    it('carries no card number and no cvc field in any key, value or header', () => {
      const leaks = records
        .map((r) => ({ topic: r.topic, offset: r.offset, leaks: leaksIn(textOf(r)) }))
        .filter((r) => r.leaks.length > 0);
      expect(leaks).toEqual([]);
    });
  });

  describe('in the services’ logs', () => {
    const logs = (): [string, string][] =>
      fs
        .readdirSync(logDir)
        .filter((name) => name.endsWith('.log'))
        .map((name) => [name, fs.readFileSync(path.join(logDir, name), 'utf8')]);

    it('reads every service’s log, proving the search with ids that are there', () => {
      const names = logs().map(([name]) => name);
      expect(names).toEqual(
        expect.arrayContaining([
          'gateway.log',
          'payments.log',
          'customers.log',
          'webhook-dispatcher.log',
        ]),
      );
      const payments_ = Object.fromEntries(logs())['payments.log'] ?? '';
      for (const payment of payments) expect(payments_).toContain(payment.id);
      const gateway = Object.fromEntries(logs())['gateway.log'] ?? '';
      for (const response of responses) expect(gateway).toContain(response.headers['request-id']);
    });

    it('holds no card number and no cvc field', () => {
      const leaks = logs()
        .map(([name, text]) => ({ name, leaks: leaksIn(text) }))
        .filter((l) => l.leaks.length > 0);
      expect(leaks).toEqual([]);
    });
  });
});
