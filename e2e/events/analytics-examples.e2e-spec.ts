import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  api,
  collectEvents,
  createMerchant,
  publishRecords,
  repoRoot,
  testEnv,
  type ApiClient,
  type EventCollector,
} from '@finfusion/testing';
import { EventTopics, type Payment, type PublicEvent } from '@finfusion/contracts';
import { readTopics } from '../support/kafka-topics.fixture';
import { paymentBody, paymentOf } from '../support/payments.fixture';

// The analysts' examples (examples/analytics), run as an analyst runs them, against the test
// broker and the schemas the test gateway serves.

const run = promisify(execFile);
const example = (file: string) => path.join(repoRoot, 'examples', 'analytics', file);

interface Loaded {
  read: number;
  added: number;
  invalid: string[];
  rows: { day: string; currency: string; payments: string; volume: string }[];
}

/** Runs validate.mjs with `lines` on stdin; its exit code and output. */
function validateLines(lines: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [example('validate.mjs'), '--schemas', testEnv.gatewayUrl],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

describe('analytics examples', () => {
  let client: ApiClient;
  let merchantId: string;
  let events: EventCollector;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    const merchant = await createMerchant();
    merchantId = merchant.merchantId;
    client = api(merchant.apiKey);
    events = await collectEvents(EventTopics.payments);
    const created: Payment[] = [];
    for (const [value, currency, number] of [
      [1000, 'USD', undefined],
      [2500, 'USD', undefined],
      [700, 'EUR', undefined],
      [9900, 'USD', '4000000000000002'], // declined: not volume
    ] as const) {
      const response = await client.post(
        '/v2/payments',
        paymentBody(number === undefined ? {} : { number }, { amount: { value, currency } }),
      );
      created.push(paymentOf(response));
    }
    await Promise.all(
      created.map((payment) =>
        events.waitFor(({ value }) => {
          const event = (value ?? {}) as Partial<PublicEvent<{ id: string }>>; // other tests put non-events here too
          return event.data?.object.id === payment.id && event.type !== 'payment.created';
        }),
      ),
    );
  });

  afterAll(async () => {
    await events.stop();
  });

  // Reads the whole topic twice, every other test's events included: a longer timeout.
  it('load-duckdb.mjs loads the payments topic into DuckDB once per event and answers volume per currency per day', async () => {
    const database = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'analytics-')), 'p.duckdb');
    const load = async () => {
      const { stdout } = await run(process.execPath, [
        example('load-duckdb.mjs'),
        '--brokers',
        testEnv.kafkaBrokers.join(','),
        '--schemas',
        testEnv.gatewayUrl,
        '--merchant',
        merchantId,
        '--db',
        database,
        '--json',
      ]);
      return JSON.parse(stdout) as Loaded;
    };
    // A record that is not an event: left out and reported, the rest still loaded.
    await publishRecords(EventTopics.payments, [{ key: merchantId, value: 'not an event' }]);
    const first = await load();
    expect(first.invalid).toContainEqual(expect.stringMatching(/offset \d+: not JSON$/));
    // Other tests put records of their own on the topic; none of this merchant's is left out.
    const ours = events.events
      .map(({ value }) => (value ?? {}) as Partial<PublicEvent>)
      .filter((event) => event.merchant_id === merchantId)
      .map((event) => event.id ?? '');
    expect(ours).toHaveLength(8);
    for (const id of ours)
      expect(first.invalid.filter((problem) => problem.includes(id))).toEqual([]);
    expect(first.added).toBeGreaterThanOrEqual(8);
    expect(first.rows).toEqual([
      { day: today, currency: 'EUR', payments: '1', volume: '700' },
      { day: today, currency: 'USD', payments: '2', volume: '3500' },
    ]);
    // Read again from the beginning: every event is already there, once.
    const again = await load();
    expect(again.read).toBeGreaterThanOrEqual(first.read);
    expect(again.added).toBe(again.read - first.read);
    expect(again.rows).toEqual(first.rows);
  }, 120_000);

  it('validate.mjs passes the records kcat prints and names what is wrong in a broken one', async () => {
    const values = (await readTopics((topic) => topic === EventTopics.payments))
      .map((record) => record.value ?? '')
      .filter((value) => value.includes(merchantId));
    expect(values).toHaveLength(8);
    const good = await validateLines(values);
    expect(good).toEqual({ code: 0, output: '8 valid, 0 invalid\n' });

    const event = JSON.parse(values[0] ?? '{}') as PublicEvent<{ amount: { currency: string } }>;
    event.data.object.amount.currency = 'usd';
    const bad = await validateLines([...values, JSON.stringify(event)]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('/data/object/amount/currency');
    expect(bad.output).toContain('8 valid, 1 invalid');
  });
});
