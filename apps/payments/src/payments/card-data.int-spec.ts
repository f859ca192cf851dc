import { Logger, type LoggerService } from '@nestjs/common';
import { EventTopics, type Payment, type ServiceReply } from '@finfusion/contracts';
import { newMerchantId, uniqueCardNumber } from '@finfusion/testing';
import {
  eventually,
  openTestDatabase,
  requestMeta,
  tablesOf,
  type TestDatabase,
} from '../testing/database.fixture';
import { provisionPaymentsTopics, TopicReader } from '../testing/kafka.fixture';
import { createPayload, paymentsService } from '../testing/payments.fixture';
import { PaymentEventRecords, PaymentEventsRelay } from './publishing/payment-events.relay';

// A card number or CVC is never stored, logged, published or echoed. These tests send
// numbers nobody else uses through every path, then search everything the service wrote.

let db: TestDatabase;
let reader: TopicReader;
const logLines: string[] = [];

const capture = (...args: unknown[]) => {
  logLines.push(JSON.stringify(args));
};
const capturingLogger: LoggerService = {
  log: capture,
  error: capture,
  warn: capture,
  debug: capture,
  verbose: capture,
  fatal: capture,
};

beforeAll(async () => {
  db = await openTestDatabase();
  Logger.overrideLogger(capturingLogger);
  await provisionPaymentsTopics();
  reader = await TopicReader.open(EventTopics.payments);
});

afterAll(async () => {
  Logger.overrideLogger(['error', 'warn']);
  await reader.close();
  await db.drop();
});

const paymentOf = (reply: ServiceReply<Payment>): Payment | undefined =>
  reply.ok ? reply.body : (reply.error.payment as Payment | undefined);

describe('card numbers and CVCs', () => {
  it('reach no table, no published record, no reply and no log line', async () => {
    const service = paymentsService(db);
    const merchant = newMerchantId();
    const numbers = [
      uniqueCardNumber(),
      uniqueCardNumber(),
      uniqueCardNumber('51'),
      uniqueCardNumber('37', 15),
      uniqueCardNumber(),
    ];
    const replies: unknown[] = [];
    const send = async (payload: unknown, key?: string) => {
      const reply = await service.create.handle({ meta: requestMeta(merchant, key), payload });
      replies.push(reply);
      return reply;
    };

    const [a, b, c, amex, d] = numbers as [string, string, string, string, string];
    const succeeded = paymentOf(await send(createPayload({ number: a }), `key-${a.slice(-6)}`));
    await send(createPayload({ number: a }), `key-${a.slice(-6)}`); // an idempotent retry
    const expired = createPayload({ number: b, cvc: '913' });
    expired.payment_method.card.exp_year = 2024;
    const failed = paymentOf(await send(expired));
    const mastercard = paymentOf(await send(createPayload({ number: c, cvc: '472' })));
    const americanExpress = paymentOf(await send(createPayload({ number: amex, cvc: '4821' })));
    // Refused requests: a wrong CVC length and a number that fails Luhn.
    await send(createPayload({ number: d, cvc: '98765' }));
    await send(createPayload({ number: `${d.slice(0, -1)}${(Number(d.at(-1)) + 1) % 10}` }));
    expect(
      [succeeded, failed, mastercard, americanExpress].map((p) => [
        p?.payment_method.card.brand,
        p?.status,
      ]),
    ).toEqual([
      ['visa', 'succeeded'],
      ['visa', 'failed'],
      ['mastercard', 'succeeded'],
      ['amex', 'succeeded'],
    ]);

    const relay = new PaymentEventsRelay(
      db.dataSource,
      db.store,
      db.config,
      new PaymentEventRecords(db.store),
    );
    await eventually(async () => {
      await relay.catchUp();
      return (await relay.lag()) === 0 ? true : undefined;
    });
    await relay.stop();
    const ids = new Set([succeeded, failed, mastercard, americanExpress].map((p) => p?.id ?? ''));
    await reader.waitFor((record) => ids.has(record.key), 8);
    for (const id of ids) {
      const history = await service.events.handle({ meta: requestMeta(merchant), payload: { id } });
      replies.push(history);
    }

    // Searched for: each full number and its first twelve digits (all but last4). A CVC is too
    // short to search for (any three digits occur in times and ids): no `cvc` field may exist.
    const secrets = numbers.flatMap((n) => [n, n.slice(0, 12)]);
    const tables = await tablesOf(db);
    expect(tables).toEqual(
      expect.arrayContaining(['events', 'payments', 'idempotency_keys', 'daily_summaries']),
    );
    for (const table of tables) {
      for (const number of secrets) {
        const [found] = await db.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM "${db.schema}"."${table}" t WHERE t::text LIKE $1`,
          [`%${number}%`],
        );
        expect({ table, found: found?.n }).toEqual({ table, found: 0 });
      }
      const [cvcField] = await db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${db.schema}"."${table}" t WHERE t::text ILIKE '%cvc%'`,
      );
      expect({ table, cvcField: cvcField?.n }).toEqual({ table, cvcField: 0 });
    }

    const published = reader.records.map((r) => JSON.stringify(r));
    expect(published.length).toBeGreaterThanOrEqual(8);
    const texts = {
      published: published.join('\n'),
      replies: JSON.stringify(replies),
      logs: logLines.join('\n'),
    };
    expect(logLines.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of secrets) {
        expect({ where, leaked: text.includes(secret) ? secret : null }).toEqual({
          where,
          leaked: null,
        });
      }
      expect({ where, cvc: /"cvc"/.test(text) }).toEqual({ where, cvc: false });
    }
  });
});
