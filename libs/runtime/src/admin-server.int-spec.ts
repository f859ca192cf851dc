import { AdminServer, adminRoutes } from './admin-server';
import { Readiness } from './health';

describe('AdminServer', () => {
  let admin: AdminServer;
  const get = (path: string, init?: RequestInit) =>
    fetch(`http://127.0.0.1:${admin.port}${path}`, init);

  beforeEach(async () => {
    admin = await AdminServer.listen(0, '127.0.0.1');
  });

  afterEach(async () => {
    await admin.close();
  });

  it('answers liveness at once, and readiness 503 until the application hands over its checks', async () => {
    expect((await get(adminRoutes.live)).status).toBe(200);
    const starting = await get(adminRoutes.ready);
    expect([starting.status, await starting.json()]).toEqual([
      503,
      { status: 'not_ready', checks: {} },
    ]);

    const readiness = new Readiness();
    let databaseAnswers = true;
    readiness.register({ name: 'database', check: () => databaseAnswers });
    admin.serveReadiness(readiness);
    const ready = await get(adminRoutes.ready);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', checks: { database: true } },
    ]);

    databaseAnswers = false;
    expect((await get(adminRoutes.ready)).status).toBe(503);
  });

  it('serves the Prometheus registry, HEAD included', async () => {
    const metrics = await get(adminRoutes.metrics);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^nodejs_eventloop_lag_seconds /m);
    const head = await get(adminRoutes.metrics, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('answers 404 to any other path and 405 to any other method', async () => {
    expect((await get('/v2/payments')).status).toBe(404);
    expect((await get(`${adminRoutes.live}/x`)).status).toBe(404);
    expect((await get(adminRoutes.live, { method: 'POST' })).status).toBe(405);
  });

  it('refuses to start on a port that is taken', async () => {
    await expect(AdminServer.listen(admin.port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
  });

  it('stops listening when closed, even with a kept-alive connection open', async () => {
    expect((await get(adminRoutes.live)).status).toBe(200);
    const port = admin.port;
    await admin.close();
    await expect(fetch(`http://127.0.0.1:${port}${adminRoutes.live}`)).rejects.toThrow();
  });
});
