import type { PublicEvent } from '@finfusion/contracts';
import {
  api,
  createMerchant,
  receivedSpans,
  waitUntil,
  type ReceivedSpan,
} from '@finfusion/testing';
import { paymentBody, paymentOf } from '../support/payments.fixture';
import { registerEndpoint, webhookReceivers } from '../support/webhooks.fixture';

// The e2e stack exports every service's spans (OTLP/HTTP JSON) to a receiver that the global
// setup runs (libs/testing's otlp-receiver.ts): here one payment is followed from the gateway's
// HTTP request to the webhook attempt that announces it, through Kafka and the event log.

const receiver = webhookReceivers();

const Kind = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

describe('tracing', () => {
  it('follows a payment from the gateway through payments and its relay to the webhook attempt, in one trace', async () => {
    const merchant = await createMerchant();
    const client = api(merchant.apiKey);
    const inbox = await receiver();
    await registerEndpoint(client, inbox, ['payment.succeeded']);

    const response = await client.post('/v2/payments', paymentBody());
    const payment = paymentOf(response);
    const requestId = response.headers['request-id'];
    const [webhook] = await inbox.waitForRequests(1, { timeoutMs: 20_000 });
    const event = JSON.parse(webhook?.body ?? '{}') as PublicEvent;
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      data: { object: { id: payment.id } },
    });

    const request = (await waitUntil(async () =>
      (await receivedSpans()).find(
        (span) =>
          span.kind === Kind.server && span.attributes['finfusion.request_id'] === requestId,
      ),
    )) as ReceivedSpan;
    // Spans arrive in batches, each service's on its own schedule: wait for the attempt's, and
    // for all six of the path (a busy service's batch can come after the dispatcher's).
    const trace = (await waitUntil(async () => {
      const spans = await receivedSpans(request.traceId);
      return spans.length >= 6 &&
        spans.some(
          (span) => span.kind === Kind.client && span.attributes['webhook.event.id'] === event.id,
        )
        ? spans
        : undefined;
    }, 20_000)) as ReceivedSpan[];
    const one = (where: (span: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
      const found = trace.filter(where);
      expect({ what, found: found.length }).toEqual({ what, found: 1 });
      return found[0] as ReceivedSpan;
    };

    expect(request).toMatchObject({
      service: 'gateway',
      name: 'POST /v2/payments',
      parentSpanId: '',
      attributes: { 'http.route': '/v2/payments', 'http.response.status_code': 200 },
    });
    const sent = one(
      (s) => s.kind === Kind.producer && s.name === 'send payments.create',
      'the gateway sending the request',
    );
    expect(sent).toMatchObject({ service: 'gateway', parentSpanId: request.spanId });
    const handled = one(
      (s) => s.kind === Kind.consumer && s.name === 'process payments.create',
      'payments handling the request',
    );
    expect(handled).toMatchObject({
      service: 'payments',
      parentSpanId: sent.spanId,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': 'payments.create',
        'messaging.consumer.group.name': 'payments',
      },
    });
    const relayed = one(
      (s) => s.kind === Kind.producer && s.attributes['messaging.message.id'] === event.id,
      "the relay publishing the webhook's event",
    );
    expect(relayed).toMatchObject({
      service: 'payments',
      name: 'send payments.payment.events',
      parentSpanId: handled.spanId,
    });
    const intake = one(
      (s) => s.kind === Kind.consumer && s.parentSpanId === relayed.spanId,
      'the dispatcher taking the event in',
    );
    expect(intake).toMatchObject({
      service: 'webhook-dispatcher',
      name: 'process payments.payment.events',
    });
    const attempt = one(
      (s) => s.kind === Kind.client && s.attributes['webhook.event.id'] === event.id,
      'the webhook attempt',
    );
    expect(attempt).toMatchObject({
      service: 'webhook-dispatcher',
      name: 'POST',
      parentSpanId: intake.spanId,
      attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200 },
    });

    // Our trace context stays ours: the merchant's endpoint gets none.
    expect(webhook?.headers).not.toHaveProperty('traceparent');
    // No span carries the card, the request body or the signing secret.
    const exported = JSON.stringify(trace);
    expect(exported).not.toContain('4242424242424242');
    expect(exported).not.toContain('order_123');
    expect(exported).not.toContain('webhook-signature');
  });
});
