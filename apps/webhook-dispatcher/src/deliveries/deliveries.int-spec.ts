import { Webhook } from 'standardwebhooks';
import type { WebhookDelivery, WebhookEndpointWithSecret } from '@finfusion/contracts';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import {
  eventOf,
  recordOf,
  waitFor,
  webhooksTestBed,
  type Receiver,
  type TestDispatcher,
} from '../testing/webhooks.fixture';

const bed = webhooksTestBed();
let made: TestDispatcher;
let target: Receiver;
// The receiver answers from this list in turn, then 200.
let answers: number[] = [];

beforeAll(async () => {
  target = await bed.receiver((_request, response) => {
    response.writeHead(answers.shift() ?? 200).end();
  });
  made = bed.dispatcher({ WEBHOOK_RETRY_SCHEDULE: '0,20' });
  made.worker.start();
});

const endpointOf = (merchantId: string): Promise<WebhookEndpointWithSecret> =>
  made.endpoint(merchantId, target.url);

const list = (merchantId: string, payload: Record<string, unknown>) =>
  made.listDeliveries.handle(requestOf(merchantId, payload as never));

/** Publishes an event and waits until its delivery to `endpointId` has finished. */
async function delivered(merchantId: string, endpointId: string): Promise<WebhookDelivery> {
  const event = eventOf(merchantId, 'payment.created');
  await made.recorder.record(recordOf(event));
  made.worker.wake();
  return waitFor(
    async () => {
      const page = bodyOf(await list(merchantId, { endpoint_id: endpointId, limit: 100 }));
      const delivery = page.data.find((item) => item.event_id === event.id);
      return delivery?.status === 'pending' ? undefined : delivery;
    },
    10_000,
    'the delivery',
  );
}

describe('webhooks.deliveries', () => {
  it('lists every delivery of the endpoint, newest first, with its whole attempt log', async () => {
    const merchantId = newMerchantId();
    const endpoint = await endpointOf(merchantId);
    answers = [500];
    const retried = await delivered(merchantId, endpoint.id);
    answers = [500, 500];
    const failed = await delivered(merchantId, endpoint.id);

    const page = bodyOf(await list(merchantId, { endpoint_id: endpoint.id, limit: 10 }));
    expect(page).toMatchObject({ object: 'list', has_more: false });
    expect(page.data.map((item) => item.id)).toEqual([failed.id, retried.id]);
    expect(page.data[1]).toEqual({
      id: expect.stringMatching(/^whd_[0-9A-Za-z]{22}$/) as string,
      object: 'webhook_delivery',
      endpoint_id: endpoint.id,
      event_id: retried.event_id,
      event_type: 'payment.created',
      status: 'succeeded',
      attempt: 2,
      attempted_at: expect.any(String) as string,
      http_status: 200,
      duration_ms: expect.any(Number) as number,
      error: null,
      next_attempt_at: null,
      created_at: expect.any(String) as string,
      attempts: [
        {
          attempt: 1,
          attempted_at: expect.any(String) as string,
          outcome: 'failed',
          http_status: 500,
          duration_ms: expect.any(Number) as number,
          error: 'HTTP 500',
        },
        {
          attempt: 2,
          attempted_at: expect.any(String) as string,
          outcome: 'succeeded',
          http_status: 200,
          duration_ms: expect.any(Number) as number,
          error: null,
        },
      ],
    });
    expect(page.data[0]).toMatchObject({ status: 'failed', attempt: 2, http_status: 500 });
  });

  it('filters by outcome and pages with cursors', async () => {
    const merchantId = newMerchantId();
    const endpoint = await endpointOf(merchantId);
    answers = [];
    const ok1 = await delivered(merchantId, endpoint.id);
    answers = [400];
    const bad = await delivered(merchantId, endpoint.id);
    answers = [];
    const ok2 = await delivered(merchantId, endpoint.id);

    const succeeded = bodyOf(
      await list(merchantId, { endpoint_id: endpoint.id, outcome: 'succeeded', limit: 1 }),
    );
    expect(succeeded).toMatchObject({ has_more: true, data: [{ id: ok2.id }] });
    const next = bodyOf(
      await list(merchantId, {
        endpoint_id: endpoint.id,
        outcome: 'succeeded',
        limit: 1,
        starting_after: ok2.id,
      }),
    );
    expect(next).toMatchObject({ has_more: false, data: [{ id: ok1.id }] });
    const failed = bodyOf(await list(merchantId, { endpoint_id: endpoint.id, outcome: 'failed' }));
    expect(failed.data.map((item) => item.id)).toEqual([bad.id]);
    expect(failed.data[0]).toMatchObject({ attempt: 1, http_status: 400, error: 'HTTP 400' });
    const pending = bodyOf(
      await list(merchantId, { endpoint_id: endpoint.id, outcome: 'pending' }),
    );
    expect(pending.data).toEqual([]);

    expect(await list(merchantId, { endpoint_id: endpoint.id, outcome: 'lost' })).toMatchObject({
      ok: false,
      status: 400,
      error: { param: 'outcome' },
    });
  });

  it('answers 404 for another merchant’s endpoint', async () => {
    const endpoint = await endpointOf(newMerchantId());
    expect(await list(newMerchantId(), { endpoint_id: endpoint.id, limit: 10 })).toMatchObject({
      ok: false,
      status: 404,
      error: { code: 'resource_missing', param: 'endpoint_id' },
    });
  });
});

describe('webhooks.resend', () => {
  const resend = (merchantId: string, endpointId: string, deliveryId: string) =>
    made.resend.handle(requestOf(merchantId, { endpoint_id: endpointId, delivery_id: deliveryId }));

  it('sends a failed delivery once more, with the same webhook-id', async () => {
    const merchantId = newMerchantId();
    const endpoint = await endpointOf(merchantId);
    answers = [400];
    const failed = await delivered(merchantId, endpoint.id);
    const before = target.requests.length;

    const reply = bodyOf(await resend(merchantId, endpoint.id, failed.id));
    expect(reply).toMatchObject({ id: failed.id, event_id: failed.event_id });

    const after = await waitFor(
      async () => {
        const page = bodyOf(await list(merchantId, { endpoint_id: endpoint.id, limit: 10 }));
        const item = page.data.find((delivery) => delivery.id === failed.id);
        return item?.status === 'succeeded' ? item : undefined;
      },
      10_000,
      'the resent delivery',
    );
    expect(after).toMatchObject({ attempt: 2, http_status: 200 });
    expect(after.attempts.map((attempt) => attempt.http_status)).toEqual([400, 200]);
    const sent = target.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['webhook-id']).toBe(failed.event_id);
    expect(new Webhook(endpoint.secret).verify(sent[0]!.body, sent[0]!.headers)).toMatchObject({
      id: failed.event_id,
    });
  });

  it('gives a resent delivery a single attempt, not a new schedule', async () => {
    const merchantId = newMerchantId();
    const endpoint = await endpointOf(merchantId);
    answers = [400];
    const failed = await delivered(merchantId, endpoint.id);
    answers = [503, 503, 503];
    await resend(merchantId, endpoint.id, failed.id);
    const after = await waitFor(
      async () => {
        const page = bodyOf(await list(merchantId, { endpoint_id: endpoint.id, limit: 10 }));
        const item = page.data.find((delivery) => delivery.id === failed.id);
        return item?.status === 'failed' && item.attempt === 2 ? item : undefined;
      },
      10_000,
      'the resent attempt',
    );
    expect(after.attempts.map((attempt) => attempt.http_status)).toEqual([400, 503]);
    answers = [];
  });

  it('refuses to resend to a disabled endpoint', async () => {
    const merchantId = newMerchantId();
    const endpoint = await endpointOf(merchantId);
    const done = await delivered(merchantId, endpoint.id);
    await made.update.handle(requestOf(merchantId, { id: endpoint.id, status: 'disabled' }));
    expect(await resend(merchantId, endpoint.id, done.id)).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'endpoint_disabled', param: 'endpoint_id' },
    });
  });

  it('answers 404 for another merchant, another endpoint or an unknown delivery', async () => {
    const merchantId = newMerchantId();
    const endpoint = await endpointOf(merchantId);
    const other = await endpointOf(merchantId);
    const done = await delivered(merchantId, endpoint.id);

    expect(await resend(newMerchantId(), endpoint.id, done.id)).toMatchObject({
      status: 404,
      error: { param: 'endpoint_id' },
    });
    expect(await resend(merchantId, other.id, done.id)).toMatchObject({
      status: 404,
      error: { param: 'delivery_id', message: 'No such webhook delivery.' },
    });
    expect(await resend(merchantId, endpoint.id, 'whd_unknown')).toMatchObject({ status: 404 });
  });
});
