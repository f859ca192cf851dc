import {
  adminUrl,
  api,
  createMerchant,
  startWebhookReceiver,
  waitUntil,
  type ServiceName,
  type WebhookReceiver,
} from '@finfusion/testing';
import { createCustomer, registerEndpoint } from '../support/webhooks.fixture';

// Prometheus metrics that platform teams scrape: every service serves GET /metrics on its admin
// port.

const metricsOf = async (app: ServiceName): Promise<string> =>
  (await fetch(`${adminUrl(app)}/metrics`)).text();

/** The value of one series (exact name and labels as Prometheus prints them), 0 when absent. */
function valueOf(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

let receiver: WebhookReceiver;
afterAll(async () => {
  await receiver.close();
});

describe('metrics', () => {
  it('count HTTP requests at the gateway by route pattern, never by id', async () => {
    const client = api((await createMerchant()).apiKey);
    const series =
      'http_request_duration_seconds_count{route="/v2/customers/:id",method="GET",status="404"}';
    const before = valueOf(await metricsOf('gateway'), series);
    expect((await client.get('/v2/customers/cust_doesnotexist')).status).toBe(404);
    const metrics = await metricsOf('gateway');
    // Other tests run beside this one: at least ours was counted.
    expect(valueOf(metrics, series)).toBeGreaterThan(before);
    expect(metrics).not.toContain('cust_doesnotexist');
  });

  it('time each Kafka request a service handles, by topic and reply status', async () => {
    const client = api((await createMerchant()).apiKey);
    const series = 'kafka_request_duration_seconds_count{topic="customers.get",status="404"}';
    const before = valueOf(await metricsOf('customers'), series);
    expect((await client.get('/v2/customers/cust_doesnotexist')).status).toBe(404);
    expect(valueOf(await metricsOf('customers'), series)).toBeGreaterThan(before);
  });

  it('count webhook attempts by result at the dispatcher', async () => {
    const client = api((await createMerchant()).apiKey);
    receiver = await startWebhookReceiver();
    const series = 'webhook_attempts_total{result="succeeded"}';
    const before = valueOf(await metricsOf('webhook-dispatcher'), series);
    await registerEndpoint(client, receiver, ['customer.created']);
    await createCustomer(client);
    await receiver.waitForRequests(1);
    await waitUntil(async () => valueOf(await metricsOf('webhook-dispatcher'), series) > before);
  });
});
