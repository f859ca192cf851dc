import { Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { bodyOf, newMerchantId, requestOf } from '@finfusion/testing';
import { ENDPOINT_DISABLED_ERROR } from '../deliveries/domain/delivery';
import {
  answer,
  eventOf,
  fakeResolver,
  recordOf,
  sleep,
  waitFor,
  webhooksTestBed,
  type ReceivedRequest,
  type Responder,
} from '../testing/webhooks.fixture';

const TEN_MINUTES = String(10 * 60 * 1000);

const bed = webhooksTestBed({ failPendingAfterEach: true });
const { dispatcher, receiver } = bed;

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  last_http_status: number | null;
  last_error: string | null;
  lease_until: Date | null;
}
interface AttemptRow {
  attempt: number;
  outcome: string;
  http_status: number | null;
  duration_ms: number;
  error: string | null;
}

const deliveriesOfEvent = (eventId: string) =>
  bed.db.query<DeliveryRow>('SELECT * FROM $schema.deliveries WHERE event_id = $1 ORDER BY id', [
    eventId,
  ]);
const deliveryOf = async (eventId: string): Promise<DeliveryRow> => {
  const [row] = await deliveriesOfEvent(eventId);
  if (!row) throw new Error(`no delivery for ${eventId}`);
  return row;
};
const attemptsOf = (deliveryId: string) =>
  bed.db.query<AttemptRow>(
    'SELECT * FROM $schema.delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
    [deliveryId],
  );
const endpointRow = async (id: string) => {
  const [row] = await bed.db.query<{
    status: string;
    disabled_reason: string | null;
    failing_since: Date | null;
  }>('SELECT status, disabled_reason, failing_since FROM $schema.endpoints WHERE id = $1', [id]);
  return row;
};
const finished = (eventId: string) => async () => {
  const row = await deliveryOf(eventId);
  return row.status === 'pending' ? undefined : row;
};

const verify = (secret: string, request: ReceivedRequest): unknown =>
  new Webhook(secret).verify(request.body, request.headers);

describe('DeliveryWorker', () => {
  it('delivers the envelope as received, signed per Standard Webhooks', async () => {
    const made = dispatcher();
    const merchantId = newMerchantId();
    const target = await receiver();
    const endpoint = await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event, body } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');

    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, last_http_status: 200 });
    expect(target.requests).toHaveLength(1);
    const [request] = target.requests;
    expect(request?.body).toBe(body);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': event.id,
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/) as string,
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/=]+$/) as string,
    });
    expect(
      Math.abs(Number(request?.headers['webhook-timestamp']) - Date.now() / 1000),
    ).toBeLessThan(10);
    expect(verify(endpoint.secret, request!)).toEqual(event);
    expect(await attemptsOf(delivery.id)).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'succeeded', http_status: 200, error: null }),
    ]);
  });

  it('gives a receiver that fails 3 times then succeeds exactly 4 attempts, all with one webhook-id', async () => {
    const made = dispatcher({ WEBHOOK_RETRY_SCHEDULE: '0,30,30,30,30,30' });
    const merchantId = newMerchantId();
    const statuses = [500, 502, 503];
    const target = await receiver((request, response) => {
      response.writeHead(statuses[request.index] ?? 200).end();
    });
    const endpoint = await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');
    await sleep(200);

    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 4 });
    expect(target.requests).toHaveLength(4);
    expect(new Set(target.requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([event.id]),
    );
    for (const request of target.requests) expect(verify(endpoint.secret, request)).toEqual(event);
    expect(
      (await attemptsOf(delivery.id)).map(({ attempt, outcome, http_status, error }) => ({
        attempt,
        outcome,
        http_status,
        error,
      })),
    ).toEqual([
      { attempt: 1, outcome: 'failed', http_status: 500, error: 'HTTP 500' },
      { attempt: 2, outcome: 'failed', http_status: 502, error: 'HTTP 502' },
      { attempt: 3, outcome: 'failed', http_status: 503, error: 'HTTP 503' },
      { attempt: 4, outcome: 'succeeded', http_status: 200, error: null },
    ]);
    // The success ends the endpoint's run of failures.
    expect(await endpointRow(endpoint.id)).toMatchObject({ status: 'active', failing_since: null });
  });

  it('wakes for a delivery another replica took in, though its safety poll is ten minutes', async () => {
    const made = dispatcher({ WEBHOOK_POLL_MS: TEN_MINUTES });
    const claims = jest.spyOn(made.deliveries, 'claim');
    const merchantId = newMerchantId();
    const target = await receiver();
    await made.endpoint(merchantId, target.url);
    made.worker.start();
    // Its first look found nothing due: from here on it sleeps.
    await waitFor(() => claims.mock.calls.length > 0, 10_000, 'the first claim');

    // Taken in by another replica: nothing in this process calls wake().
    const other = await bed.replica();
    const event = eventOf(merchantId);
    await other.recorder.record(recordOf(event));

    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(target.requests.map((request) => request.headers['webhook-id'])).toEqual([event.id]);
  });

  it('makes a retry when it falls due, not at the next poll', async () => {
    const made = dispatcher({ WEBHOOK_RETRY_SCHEDULE: '0,300', WEBHOOK_POLL_MS: '10000' });
    const merchantId = newMerchantId();
    const target = await receiver((request, response) => {
      response.writeHead(request.index === 0 ? 500 : 200).end();
    });
    await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event } = await made.publish(merchantId);
    await waitFor(finished(event.id), 10_000, 'the delivery');

    const [first, second] = target.requests;
    const gap = (second?.at ?? 0) - (first?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(240); // 300 ms less the jitter
    expect(gap).toBeLessThan(1500);
  });

  it('fails the delivery after the last attempt of the schedule', async () => {
    const made = dispatcher({ WEBHOOK_RETRY_SCHEDULE: '0,30,30' });
    const merchantId = newMerchantId();
    const target = await receiver(answer(500));
    const endpoint = await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');
    await sleep(200);

    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, last_http_status: 500 });
    expect(target.requests).toHaveLength(3);
    expect(await endpointRow(endpoint.id)).toMatchObject({ status: 'active' });
  });

  it('disables the endpoint on 410 Gone and fails its other pending deliveries unsent', async () => {
    const made = dispatcher({ WEBHOOK_ENDPOINT_CONCURRENCY: '1' });
    const merchantId = newMerchantId();
    const target = await receiver(answer(410));
    const endpoint = await made.endpoint(merchantId, target.url);

    const first = await made.publish(merchantId);
    const second = await made.publish(merchantId);
    made.worker.start();
    await waitFor(finished(first.event.id), 10_000, 'the first delivery');
    await waitFor(finished(second.event.id), 10_000, 'the second delivery');

    expect(target.requests).toHaveLength(1);
    expect(await endpointRow(endpoint.id)).toMatchObject({
      status: 'disabled',
      disabled_reason: 'endpoint_gone',
    });
    const delivered = target.requests[0]?.headers['webhook-id'];
    const [sent, unsent] =
      delivered === first.event.id
        ? [first.event.id, second.event.id]
        : [second.event.id, first.event.id];
    expect(await deliveryOf(sent)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_http_status: 410,
    });
    expect(await deliveryOf(unsent)).toMatchObject({
      status: 'failed',
      attempts: 0,
      last_error: ENDPOINT_DISABLED_ERROR,
    });

    const later = eventOf(merchantId);
    expect(await made.recorder.record(recordOf(later))).toMatchObject({ deliveries: 0 });
  });

  it('does not follow a redirect, and does not retry it', async () => {
    const made = dispatcher();
    const merchantId = newMerchantId();
    const elsewhere = await receiver();
    const target = await receiver((_request, response) => {
      response.writeHead(302, { location: elsewhere.url }).end();
    });
    await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');
    await sleep(150);

    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_http_status: 302,
      last_error: 'HTTP 302: redirects are not followed',
    });
    expect(target.requests).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
  });

  it('waits as long as Retry-After asks before the next attempt', async () => {
    const made = dispatcher({ WEBHOOK_RETRY_SCHEDULE: '0,20,20' });
    const merchantId = newMerchantId();
    const target = await receiver((request, response) => {
      if (request.index === 0) response.writeHead(429, { 'retry-after': '1' }).end();
      else response.writeHead(204).end();
    });
    await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');

    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2 });
    const [first, second] = target.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('refuses at delivery an endpoint whose host now resolves inside, without retrying', async () => {
    const dns: Record<string, string> = { 'rebind.example.com': '93.184.216.34' };
    const made = dispatcher({ WEBHOOK_ALLOW_LOOPBACK: 'false' }, fakeResolver(dns));
    const warn = jest.spyOn(Logger.prototype, 'warn');
    bed.cleanup(() => {
      warn.mockRestore();
      return Promise.resolve();
    });
    const merchantId = newMerchantId();
    const endpoint = await made.endpoint(merchantId, 'http://rebind.example.com/hooks');
    dns['rebind.example.com'] = '10.0.0.1';
    made.worker.start();

    const { event } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');

    // What the merchant can read (the delivery and its attempts) names no internal address.
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_http_status: null,
      last_error: 'rebind.example.com resolves to a private address, which is not allowed',
    });
    const listed = bodyOf(
      await made.listDeliveries.handle(
        requestOf(merchantId, { endpoint_id: endpoint.id, limit: 10 }),
      ),
    );
    expect(JSON.stringify(listed)).toContain('resolves to a private address');
    expect(JSON.stringify(listed)).not.toContain('10.0.0.1');
    // The log says which address it was.
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ delivery_id: delivery.id, refused_address: '10.0.0.1' }),
      'webhook attempt failed',
    );
  });

  it('loses no delivery when a worker dies mid-flight: another resumes it once the lease runs out', async () => {
    // The poll never comes within the test: the second worker sleeps until the lease runs out.
    const env = {
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_LEASE_MS: '1500',
      WEBHOOK_POLL_MS: TEN_MINUTES,
    };
    const first = dispatcher(env);
    const merchantId = newMerchantId();
    const target = await receiver((request, response) => {
      // The first attempt never gets an answer; the worker is killed while it waits.
      if (request.index > 0) response.writeHead(200).end();
    });
    const endpoint = await first.endpoint(merchantId, target.url);
    first.worker.start();
    const { event } = await first.publish(merchantId);
    await waitFor(() => target.requests.length === 1, 10_000, 'the first attempt');
    await first.worker.stop(0);

    const abandoned = await deliveryOf(event.id);
    expect(abandoned).toMatchObject({ status: 'pending', attempts: 0 });
    expect(abandoned.lease_until?.getTime()).toBeGreaterThan(Date.now());

    const second = dispatcher(env);
    second.worker.start();
    const delivery = await waitFor(finished(event.id), 10_000, 'the resumed delivery');

    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(target.requests).toHaveLength(2);
    const [lost, resumed] = target.requests;
    expect(resumed?.headers['webhook-id']).toBe(event.id);
    expect(lost?.headers['webhook-id']).toBe(event.id);
    // Not before the lease ran out: the dead worker's claim was honoured until then.
    expect((resumed?.at ?? 0) - (lost?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(verify(endpoint.secret, resumed!)).toEqual(event);
  });

  it('never lets two workers send the same attempt', async () => {
    const env = { WEBHOOK_CONCURRENCY: '6', WEBHOOK_ENDPOINT_CONCURRENCY: '3' };
    const one = dispatcher(env);
    const two = await bed.replica(env);
    const claimsOne = jest.spyOn(one.deliveries, 'claim');
    const claimsTwo = jest.spyOn(two.deliveries, 'claim');

    const merchantId = newMerchantId();
    const slowly: Responder = (_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 15);
    };
    const targets = await Promise.all([receiver(slowly), receiver(slowly), receiver(slowly)]);
    for (const target of targets) await one.endpoint(merchantId, target.url);
    const events = [];
    for (let i = 0; i < 15; i++) events.push((await one.publish(merchantId)).event);

    one.worker.start();
    two.worker.start();
    for (const event of events) {
      await waitFor(
        async () => (await deliveriesOfEvent(event.id)).every((row) => row.status === 'succeeded'),
        20_000,
        'every delivery',
      );
    }
    await sleep(200);

    for (const target of targets) {
      const ids = target.requests.map((request) => request.headers['webhook-id']);
      expect(ids).toHaveLength(15);
      expect(new Set(ids).size).toBe(15);
    }
    const attempts = await bed.db.query<{ attempt: number }>(
      `SELECT a.attempt FROM $schema.delivery_attempts a
       JOIN $schema.deliveries d ON d.id = a.delivery_id WHERE d.merchant_id = $1`,
      [merchantId],
    );
    expect(attempts).toHaveLength(45);
    expect(attempts.every((row) => row.attempt === 1)).toBe(true);

    // Both took part, or the test proves nothing.
    const claimed = async (spy: jest.SpyInstance<Promise<unknown[]>>) =>
      (
        await Promise.all(spy.mock.results.map((result) => result.value as Promise<unknown[]>))
      ).flat().length;
    const [byOne, byTwo] = await Promise.all([claimed(claimsOne), claimed(claimsTwo)]);
    expect(byOne + byTwo).toBe(45);
    expect(byOne).toBeGreaterThan(0);
    expect(byTwo).toBeGreaterThan(0);
  });

  it('does not let a slow receiver hold up a fast one', async () => {
    const made = dispatcher({
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      WEBHOOK_TIMEOUT_MS: '5000',
      WEBHOOK_LEASE_MS: '10000',
    });
    const merchantId = newMerchantId();
    const slow = await receiver((_request, response) => {
      setTimeout(() => response.writeHead(200).end(), 3000).unref();
    });
    const fast = await receiver();
    await made.endpoint(merchantId, slow.url);
    await made.endpoint(merchantId, fast.url);
    for (let i = 0; i < 6; i++) await made.publish(merchantId);

    const started = Date.now();
    made.worker.start();
    await waitFor(() => fast.requests.length === 6, 10_000, 'the fast receiver');

    expect(Date.now() - started).toBeLessThan(2000);
    expect(slow.requests.length).toBeLessThanOrEqual(2);
  });

  it('signs with both secrets during a rotation’s overlap, and with the new one only after', async () => {
    const made = dispatcher();
    const merchantId = newMerchantId();
    const target = await receiver();
    const { id, secret: original } = await made.endpoint(merchantId, target.url);
    const { secret: rotated } = bodyOf(
      await made.rotate.handle(requestOf(merchantId, { id, overlap_seconds: 3600 })),
    );
    made.worker.start();

    const during = await made.publish(merchantId);
    await waitFor(finished(during.event.id), 10_000, 'the delivery during the overlap');
    const [overlapping] = target.requests;
    expect(overlapping?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verify(original, overlapping!)).toEqual(during.event);
    expect(verify(rotated, overlapping!)).toEqual(during.event);

    const { secret: latest } = bodyOf(
      await made.rotate.handle(requestOf(merchantId, { id, overlap_seconds: 0 })),
    );
    const after = await made.publish(merchantId);
    await waitFor(finished(after.event.id), 10_000, 'the delivery after the overlap');
    const last = target.requests[1]!;
    expect(last.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verify(latest, last)).toEqual(after.event);
    expect(() => verify(rotated, last)).toThrow();
    expect(() => verify(original, last)).toThrow();
  });

  it('disables an endpoint that keeps failing for the configured period', async () => {
    const made = dispatcher({
      WEBHOOK_RETRY_SCHEDULE: '0,150,150,150,150,150',
      WEBHOOK_DISABLE_AFTER_FAILING_MS: '250',
    });
    const merchantId = newMerchantId();
    const target = await receiver(answer(503));
    const endpoint = await made.endpoint(merchantId, target.url);
    made.worker.start();

    const { event } = await made.publish(merchantId);
    const delivery = await waitFor(finished(event.id), 10_000, 'the delivery');

    expect(await endpointRow(endpoint.id)).toMatchObject({
      status: 'disabled',
      disabled_reason: 'continuous_failures',
    });
    expect(delivery.status).toBe('failed');
    expect(delivery.last_error).toContain(ENDPOINT_DISABLED_ERROR);
    expect([3, 4]).toContain(delivery.attempts);
    const [first, last] = [target.requests[0], target.requests.at(-1)];
    expect((last?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(240);
  });
});
