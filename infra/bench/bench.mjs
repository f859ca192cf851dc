// `npm run bench`: throughput and latency of the public API, through the gateway, Kafka and
// Postgres, beside a baseline measured in the same run on the same machine.
//
// It brings up a stack of its own (database finfusion_bench, recreated; a broker on
// 127.0.0.1:19192; the four built services on ports 14000-14003 with info logs off and the rate
// limit lifted), creates a merchant, drives each scenario with autocannon for a fixed time after
// a short warm-up, prints one Markdown table and writes it to .cache/bench/results.md, then stops
// everything it started. A development stack (`npm start`) and tests can keep running beside it.
//
//   npm run bench                                    every scenario, 10 s each, 16 connections
//   npm run bench -- --duration 30 --connections 32
//   npm run bench -- --only baseline,payments.create
//
// The baseline is GET /health/live on the gateway: the same HTTP server, no authentication, no
// Kafka, no database. The difference between it and a scenario is what the platform's work
// costs. A scenario that answers anything but 2xx fails the run: its numbers would measure errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  APPS,
  DEFAULT_DATABASE_URL,
  StepError,
  activeChildren,
  brokerHandle,
  createLog,
  ensureDependencies,
  isPortOpen,
  recreateDatabase,
  relative,
  root,
  runOrThrow,
  signalChild,
  sleep,
  startLocalBroker,
  stopLocalBroker,
  tail,
  turboBuild,
  withDatabase,
} from '../dev/common.mjs';

const PORT_BASE = 14000;
const KAFKA_PORT = 19192;
const PORTS = Object.fromEntries(APPS.map((app, index) => [app, PORT_BASE + index]));
const GATEWAY_URL = `http://127.0.0.1:${PORTS.gateway}`;
const READY_TIMEOUT_MS = 120_000;
const WARM_UP_SECONDS = 2;
const benchDir = path.join(root, '.cache', 'bench');
const resultsFile = path.join(benchDir, 'results.md');

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '16' },
    only: { type: 'string' },
  },
});
const duration = positiveInteger('--duration', options.duration);
const connections = positiveInteger('--connections', options.connections);

const log = createLog();
const services = new Map();
let broker;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log.warn(`${signal} received: stopping…`);
    void cleanUp().then(() => process.exit(130));
  });
}

/** The card every payment uses: succeeds at the test acquirer; its expiry is always ahead. */
const card = {
  number: '4242424242424242',
  exp_month: 12,
  exp_year: new Date().getUTCFullYear() + 3,
  cvc: '123',
};

/** Each scenario: one request shape, repeated; `setup` runs once before it with the API key. */
const scenarios = [
  {
    name: 'baseline',
    what: 'GET /health/live (gateway only)',
    request: () => ({ method: 'GET', path: '/health/live' }),
  },
  {
    name: 'customers.create',
    what: 'POST /v2/customers',
    request: () => ({
      method: 'POST',
      path: '/v2/customers',
      body: JSON.stringify({ email: 'bench@example.com', name: 'Bench', metadata: { k: 'v' } }),
      idempotent: true,
    }),
  },
  {
    name: 'customers.get',
    what: 'GET /v2/customers/{id}',
    setup: async (key) =>
      (await api(key, 'POST', '/v2/customers', { email: 'get@example.com' })).id,
    request: (id) => ({ method: 'GET', path: `/v2/customers/${id}` }),
  },
  {
    name: 'payments.create',
    what: 'POST /v2/payments',
    request: () => ({
      method: 'POST',
      path: '/v2/payments',
      body: JSON.stringify({
        amount: { value: 1000, currency: 'USD' },
        payment_method: { type: 'card', card },
      }),
      idempotent: true,
    }),
  },
  {
    name: 'payments.get',
    what: 'GET /v2/payments/{id}',
    setup: async (key) =>
      (
        await api(key, 'POST', '/v2/payments', {
          amount: { value: 500, currency: 'EUR' },
          payment_method: { type: 'card', card },
        })
      ).id,
    request: (id) => ({ method: 'GET', path: `/v2/payments/${id}` }),
  },
  {
    name: 'payments.list',
    what: 'GET /v2/payments?limit=10',
    request: () => ({ method: 'GET', path: '/v2/payments?limit=10' }),
  },
];

async function main() {
  const selected = selectScenarios();
  fs.mkdirSync(benchDir, { recursive: true });
  await ensureDependencies(log);
  await turboBuild(log, { quiet: true });

  broker = brokerHandle(KAFKA_PORT);
  await startLocalBroker(broker, log);
  const databaseUrl = withDatabase(
    process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    'finfusion_bench',
  );
  await recreateDatabase(databaseUrl);
  log.ok('database finfusion_bench is empty');

  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: `127.0.0.1:${KAFKA_PORT}`,
    HOST: '127.0.0.1',
    // What a production deployment would log; request logs at info would measure the disk.
    LOG_LEVEL: 'warn',
    // One merchant drives all the load: the per-key limit would cap every scenario.
    RATE_LIMIT_REQUESTS: '100000000',
  };
  await runOrThrow('topic provisioning', process.execPath, ['libs/kafka/dist/provision.cli.js'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const app of APPS) {
    if (await isPortOpen(PORTS[app])) {
      throw new StepError(`port ${PORTS[app]} (${app}) is in use: is another bench running?`);
    }
  }
  log.step(`starting ${APPS.join(', ')} on ports ${PORT_BASE}-${PORT_BASE + APPS.length - 1}…`);
  for (const app of APPS) startService(app, { ...env, PORT: String(PORTS[app]) });
  await waitUntilReady();
  log.ok('all services are ready');

  const key = await createMerchant(env);
  const rows = [];
  for (const scenario of selected) {
    const target = scenario.setup ? await scenario.setup(key) : undefined;
    log.step(`${scenario.name}: ${scenario.what} — ${duration} s, ${connections} connections`);
    await measure(scenario, key, target, WARM_UP_SECONDS);
    const row = await measure(scenario, key, target, duration);
    rows.push(row);
    log.ok(
      `${Math.round(row.rps)} req/s, p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms` +
        (row.failed > 0 ? `, ${row.failed} failed` : ''),
    );
  }

  const report = formatReport(rows);
  fs.writeFileSync(resultsFile, report);
  process.stdout.write(`\n${report}\n`);
  log.info(`written to ${relative(resultsFile)}`);
  const failed = rows.filter((row) => row.failed > 0);
  if (failed.length > 0) {
    throw new StepError(
      `non-2xx answers or errors in ${failed.map((row) => row.name).join(', ')}: ` +
        `see .cache/bench/*.log`,
    );
  }
}

/** Runs one scenario for `seconds`; latencies are kept per request so any percentile is exact. */
function measure(scenario, key, target, seconds) {
  const shape = scenario.request(target);
  const headers = {
    'content-type': 'application/json',
    ...(scenario.name === 'baseline' ? {} : { authorization: `Bearer ${key}` }),
  };
  const latencies = [];
  let failed = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: GATEWAY_URL,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: shape.method,
            path: shape.path,
            headers,
            body: shape.body,
            // A fresh key per POST: every request is a new payment or customer, never a replay.
            ...(shape.idempotent && {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, 'idempotency-key': randomUUID() },
              }),
            }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        failed += result.errors + result.timeouts;
        resolve({
          name: scenario.name,
          what: scenario.what,
          requests: latencies.length,
          rps: latencies.length / seconds,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: percentile(latencies, 100),
          failed,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) failed += 1;
    });
  });
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

function formatReport(rows) {
  const baseline = rows.find((row) => row.name === 'baseline');
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`: ${duration} s per ` +
      `scenario after ${WARM_UP_SECONDS} s of warm-up, ${connections} connections, on ` +
      `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node.js ` +
      `${process.versions.node}; broker and Postgres on the same machine.`,
    '',
    '| scenario | route | req/s | p50 ms | p95 ms | p99 ms | max ms | vs baseline p50 |',
    '| -------- | ----- | ----: | -----: | -----: | -----: | -----: | --------------: |',
    ...rows.map((row) =>
      [
        '',
        row.name,
        `\`${row.what}\``,
        Math.round(row.rps),
        row.p50,
        row.p95,
        row.p99,
        row.max,
        baseline && row !== baseline ? `+${(row.p50 - baseline.p50).toFixed(1)} ms` : '—',
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function selectScenarios() {
  if (!options.only) return scenarios;
  const wanted = options.only.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new StepError(
      `unknown scenario ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`,
    );
  }
  return scenarios.filter((scenario) => wanted.includes(scenario.name));
}

async function api(key, method, route, body) {
  const response = await fetch(`${GATEWAY_URL}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new StepError(`${method} ${route} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function createMerchant(env) {
  const { stdout } = await runOrThrow(
    'creating the benchmark merchant',
    process.execPath,
    ['apps/gateway/dist/merchants.cli.js', 'create', 'Benchmark', '--json'],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(stdout.trim().split('\n').pop()).api_key;
}

function startService(app, env) {
  const logFile = path.join(benchDir, `${app}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [path.join('apps', app, 'dist', 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  const record = { child, detached: true };
  activeChildren.add(record);
  const exited = new Promise((resolve) => child.once('close', resolve));
  services.set(app, { record, logFile, exited });
}

async function waitUntilReady() {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Set(APPS);
  while (pending.size > 0) {
    for (const app of [...pending]) {
      if (services.get(app).record.child.exitCode !== null) {
        throw new StepError(`${app} exited:\n${tail(services.get(app).logFile, 30)}`);
      }
      const ready = await fetch(`http://127.0.0.1:${PORTS[app]}/health/ready`, {
        signal: AbortSignal.timeout(2000),
      }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) pending.delete(app);
    }
    if (Date.now() > deadline) {
      throw new StepError(`not ready after ${READY_TIMEOUT_MS / 1000} s: ${[...pending]}`);
    }
    if (pending.size > 0) await sleep(500);
  }
}

async function cleanUp() {
  const running = [...services.values()];
  for (const { record } of running) signalChild(record, 'SIGTERM');
  await Promise.race([Promise.all(running.map((service) => service.exited)), sleep(10_000)]);
  for (const { record } of running) signalChild(record, 'SIGKILL');
  services.clear();
  await stopLocalBroker(broker, log).catch((error) => log.fail(error.message));
}

function positiveInteger(name, value) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new StepError(`${name} must be a positive integer, not ${value}`);
  }
  return number;
}

main().then(
  async () => {
    await cleanUp();
    process.exit(0);
  },
  async (error) => {
    log.fail(error instanceof StepError ? error.message : (error?.stack ?? String(error)));
    await cleanUp();
    process.exit(1);
  },
);
