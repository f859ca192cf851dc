import { testDatabase } from '../../testing/database.fixture';
import { TestAcquirer } from './test-acquirer';
import { PostgresLedger, postgresLedgers, type TestAcquirerTable } from './test-acquirer.ledger';

const db = testDatabase();

const TABLES: TestAcquirerTable[] = [
  'test_acquirer_authorizations',
  'test_acquirer_authorization_ends',
  'test_acquirer_refund_failures',
  'test_acquirer_refunds',
];

let references = 0;
const newReference = () => `ref_${++references}_${Date.now()}`;

describe.each(TABLES)('the Postgres ledger in %s', (table) => {
  it('keeps the first outcome of a reference and answers it to every later record', async () => {
    const ledger = new PostgresLedger<{ n: number }>(db.dataSource, table);
    const reference = newReference();
    expect(await ledger.find(reference)).toBeUndefined();
    expect(await ledger.record(reference, { n: 1 })).toEqual({ outcome: { n: 1 }, first: true });
    expect(await ledger.record(reference, { n: 2 })).toEqual({ outcome: { n: 1 }, first: false });
    expect(await ledger.find(reference)).toEqual({ n: 1 });
  });

  it('records one outcome when many record the same reference at once', async () => {
    const ledger = new PostgresLedger<{ n: number }>(db.dataSource, table);
    const reference = newReference();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, n) => ledger.record(reference, { n })),
    );
    expect(answers.filter((a) => a.first)).toHaveLength(1);
    const winner = answers.find((a) => a.first)?.outcome;
    for (const answer of answers) expect(answer.outcome).toEqual(winner);
  });
});

describe('the test acquirer on Postgres', () => {
  const authorize = (acquirer: TestAcquirer, number: string, paymentId: string) =>
    acquirer.authorize({
      paymentId,
      merchantId: 'mer_1',
      amount: { value: 1000, currency: 'USD' },
      card: { number, cvc: '123', expMonth: 12, expYear: 2030 },
    });

  it('lets one of a capture and a void win, for every replica and after a restart', async () => {
    const replicas = [
      new TestAcquirer(postgresLedgers(db.dataSource)),
      new TestAcquirer(postgresLedgers(db.dataSource)),
    ];
    const paymentId = newReference();
    await authorize(replicas[0]!, '4242424242424242', paymentId);
    const answers = await Promise.all([
      replicas[0]!.capture(paymentId, 1000),
      replicas[1]!.void(paymentId),
      replicas[1]!.capture(paymentId, 500),
      replicas[0]!.void(paymentId),
    ]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const restarted = new TestAcquirer(postgresLedgers(db.dataSource));
    expect(await restarted.void(paymentId)).toEqual(answers[0]);
  });

  it('remembers a refund-failing card after a restart, without its number', async () => {
    const paymentId = newReference();
    await authorize(
      new TestAcquirer(postgresLedgers(db.dataSource)),
      '4000000000005134',
      paymentId,
    );
    const restarted = new TestAcquirer(postgresLedgers(db.dataSource));
    const refund = { paymentId, refundId: newReference(), amount: { value: 100, currency: 'USD' } };
    expect(await restarted.refund(refund)).toMatchObject({
      succeeded: false,
      failure: { code: 'lost_or_stolen_card' },
    });
    const kept = await db.dataSource.query<{ outcome: unknown }[]>(
      `SELECT outcome FROM "${db.schema}".test_acquirer_refund_failures WHERE reference = $1`,
      [paymentId],
    );
    expect(JSON.stringify(kept)).not.toContain('4000000000005134');
  });
});
