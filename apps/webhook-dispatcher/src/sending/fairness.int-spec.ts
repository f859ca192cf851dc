import { newMerchantId } from '@finfusion/testing';
import {
  eventOf,
  recordOf,
  waitFor,
  webhooksTestBed,
  type Responder,
  type TestDispatcher,
} from '../testing/webhooks.fixture';

// Fairness between merchants: one merchant's backlog at slow endpoints must not hold up
// another merchant's webhooks. Default concurrency settings (32 slots, 4 per endpoint, 16 per
// merchant), so the test shows what a deployment gets.

const SLOW_MS = 1000;

const bed = webhooksTestBed({ failPendingAfterEach: true });
const { receiver } = bed;

const dispatcher = (env: Record<string, string> = {}): TestDispatcher =>
  bed.dispatcher({ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '10000', ...env });

const slowly: Responder = (_request, response) => {
  setTimeout(() => response.writeHead(200).end(), SLOW_MS).unref();
};

const pendingOf = async (merchantId: string): Promise<number> => {
  const [row] = await bed.db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM $schema.deliveries
     WHERE merchant_id = $1 AND status = 'pending'`,
    [merchantId],
  );
  return row?.count ?? 0;
};

async function publish(made: TestDispatcher, merchantId: string, events: number): Promise<void> {
  for (let i = 0; i < events; i++) await made.recorder.record(recordOf(eventOf(merchantId)));
}

describe('claiming deliveries fairly across merchants', () => {
  it('delivers a merchant’s webhooks promptly while another’s backlog at 16 slow endpoints drains', async () => {
    const made = dispatcher();
    const busy = newMerchantId();
    const slow = await receiver(slowly);
    for (let i = 0; i < 16; i++) {
      await made.endpoint(busy, `${slow.url}?endpoint=${i}`);
    }
    // 160 deliveries of one second each: at 32 slots, five seconds of work for this merchant.
    await publish(made, busy, 10);

    const quiet = newMerchantId();
    const fast = await receiver();
    await made.endpoint(quiet, fast.url);

    made.worker.start();
    await waitFor(() => slow.requests.length > 0, 5000, 'the backlog to start');
    const started = Date.now();
    await publish(made, quiet, 3);
    made.worker.wake();
    await waitFor(() => fast.requests.length === 3, 10_000, 'the quiet merchant’s webhooks');

    expect(Date.now() - started).toBeLessThan(SLOW_MS / 2);
    expect(await pendingOf(busy)).toBeGreaterThan(100);
    // No more than its share of slots, however many endpoints it has.
    const [held] = await bed.db.query<{ count: number }>(
      `SELECT count(*)::integer AS count FROM $schema.deliveries
       WHERE merchant_id = $1 AND lease_until > now()`,
      [busy],
    );
    expect(held?.count).toBeLessThanOrEqual(16);
  });

  it('takes turns between merchants when every slot is wanted', async () => {
    // One slot per merchant at a time is not the limit here: only the order of the claim is.
    const made = dispatcher({ WEBHOOK_CONCURRENCY: '4', WEBHOOK_MERCHANT_CONCURRENCY: '4' });
    const first = newMerchantId();
    const second = newMerchantId();
    const inbox = await receiver();
    for (const merchantId of [first, second]) {
      for (let i = 0; i < 4; i++) {
        await made.endpoint(merchantId, `${inbox.url}?m=${merchantId}&e=${i}`);
      }
    }
    // The first merchant's backlog is older, yet the second is served from the first claim on.
    await publish(made, first, 5);
    await publish(made, second, 1);

    made.worker.start();
    await waitFor(() => inbox.requests.length >= 8, 10_000, 'the first deliveries');
    const firstEight = inbox.requests.slice(0, 8).map((request) => request.path);
    expect(firstEight.filter((path) => path.includes(second)).length).toBeGreaterThanOrEqual(3);
  });
});
