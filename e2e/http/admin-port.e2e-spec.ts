import { adminUrl, api, serviceNames } from '@finfusion/testing';
import { expectApiError } from '../support/http-expectations.fixture';

// Health and metrics are on each app's admin port, which no public ingress reaches; the
// gateway's public port serves the API and its documentation only.

describe('the admin port', () => {
  it.each(['/health/live', '/health/ready', '/metrics'])(
    'is where %s is: the gateway answers it 404 on its public port',
    async (path) => {
      expectApiError(await api().get(path), 404, { code: 'route_not_found' });
    },
  );

  it.each(serviceNames)('of %s answers liveness, readiness and metrics', async (app) => {
    const live = await fetch(`${adminUrl(app)}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);

    const ready = await fetch(`${adminUrl(app)}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: true } });

    const metrics = await fetch(`${adminUrl(app)}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('serves nothing else', async () => {
    const gateway = adminUrl('gateway');
    expect((await fetch(`${gateway}/v2/customers`)).status).toBe(404);
    expect((await fetch(`${gateway}/openapi.json`)).status).toBe(404);
    expect((await fetch(`${gateway}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
