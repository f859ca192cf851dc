// `npm run bench`: what the platform sustains through the gateway, Kafka and Postgres, beside
// baselines measured in the same run against the same broker and Postgres.
//
// One run, in order (about 5½ minutes with the defaults on a 2-core machine):
//
//  1. A stack of its own: a broker on 127.0.0.1:19192 (BENCH_KAFKA_PORT), the database
//     finfusion_bench (recreated), the four built services on ports 14000–14003
//     (BENCH_PORT_BASE; their admin ports, health and metrics, on 14010–14013), with their
//     default settings except the rate limit (lifted: one merchant drives all the load) and
//     loopback webhooks (the bench's receiver is on 127.0.0.1).
//  2. Baselines (baselines.mjs), before the services start:
//       b0          a bare Fastify + pg server doing one INSERT … RETURNING per request, at the
//                   same connection counts as the scenarios: the floor of "HTTP in, one write".
//       b1.single   a bare kafkajs request/reply between two processes, one message per produce
//                   and a commit per message (NestJS's stock ClientKafka/ServerKafka);
//       b1.batched  the same with sendBatch per event-loop turn, eachBatch consumers and offsets
//                   committed every second. Both at 16, 64 and 256 in flight.
//  3. The idle stack's CPU over --idle seconds, once start-up has settled, no traffic.
//  4. HTTP scenarios, closed model (autocannon) at each --connections count (1, 16, 64):
//     POST /v2/payments, POST /v2/customers, GET /v2/payments/{id}; GET /v2/customers/{id} and
//     GET /v2/payments?limit=10 at the middle count only. A POST gets a fresh Idempotency-Key
//     per request. Non-2xx answers are counted as errors (the target is 0), never fatal.
//  5. POST /v2/payments in an open model (http-load.mjs): a fixed arrival rate, half the best
//     closed-model req/s of step 4, for twice --duration, latency from each request's
//     scheduled start; meanwhile the lags from commit to the Kafka record, to a webhook received
//     and to the daily summary projection (lags.mjs).
//  Every measurement also records each process's CPU (% of one core) and peak memory
//  (proc.mjs): the four services, the broker, Postgres, the bench itself, the baseline helpers.
//
// Output: .cache/bench/results.json, results.md (the tables, printed too) and chart.svg;
// with --publish, results.md and chart.svg are copied to docs/benchmarks/ and the tables
// replace those between the bench markers of docs/benchmarks.md. Everything started is stopped at the
// end, on failure, and on Ctrl-C. Traffic stays on 127.0.0.1.
//
//   npm run bench                                   everything, 10 s per measurement
//   npm run bench -- --duration 3 --idle 5          a quick run
//   npm run bench -- --only b0,payments.create --connections 16
//   npm run bench -- --only idle,payments.create --connections 16 --log-level info,warn
//                                                   what the log level costs per payment
//
// Options: --duration <s> (10), --connections <list> (1,16,64), --idle <s> (30; 0 skips),
// --only <names> (scenarios, b0, b1, b1.single, b1.batched, payments.create.open, idle),
// --log-level <level>[,<level>…] (info, the services' default; each further level restarts
// the services and measures the idle stack and POST /v2/payments again), --open-rate <req/s>
// (half the peak), --publish, --cpu-prof (each service writes a V8 CPU profile to
// .cache/bench/profiles-<port base>/ when the run stops it; open them in Chrome DevTools).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  APPS,
  DEFAULT_DATABASE_URL,
  StepError,
  createLog,
  ensureDependencies,
  relative,
  root,
  sleep,
  turboBuild,
  withDatabase,
} from '../dev/common.mjs';
import { B1_IN_FLIGHT, B1_VARIANTS, line, runB0, runB1 } from './baselines.mjs';
import { closedLoad, openLoad } from './http-load.mjs';
import {
  lagSummary,
  startEventConsumer,
  startProjectionSampler,
  startWebhookReceiver,
} from './lags.mjs';
import { ProcessSampler, kafkaPid, postgresPids } from './proc.mjs';
import { prettierMarkdown, renderMarkdown, renderSvg } from './report.mjs';
import { Stack } from './stack.mjs';
import { round } from './stats.mjs';

const WARM_UP_S = 2;
const SETTLE_S = 5; // after start-up, before the idle measurement
const DRAIN_S = 15; // longest wait for the lags' last events after the open run
const PAYMENT_EVENTS_TOPIC = 'payments.payment.events';
const PAYMENTS_SCHEMA = 'payments';
const DAILY_SUMMARY_SUBSCRIPTION = 'payments-daily-summary';

const PORT_BASE = integerEnv('BENCH_PORT_BASE', 14000);
const KAFKA_PORT = integerEnv('BENCH_KAFKA_PORT', 19192);
/** @type {Record<string, number>} */
const PORTS = {
  ...Object.fromEntries(APPS.map((app, index) => [app, PORT_BASE + index])),
  b0: PORT_BASE + 4,
  receiver: PORT_BASE + 5,
};
const GATEWAY_URL = `http://127.0.0.1:${PORTS.gateway}`;
const DATABASE = PORT_BASE === 14000 ? 'finfusion_bench' : `finfusion_bench_${PORT_BASE}`;

const benchDir = path.join(root, '.cache', 'bench');
const logDir = path.join(benchDir, `logs-${PORT_BASE}`);
const publishDir = path.join(root, 'docs', 'benchmarks');
const profileDir = path.join(benchDir, `profiles-${PORT_BASE}`);
// The page that shows the tables, between these two markers.
const resultsPage = path.join(root, 'docs', 'benchmarks.md');
const RESULTS_START = '<!-- bench:results:start -->';
const RESULTS_END = '<!-- bench:results:end -->';

// ── options ─────────────────────────────────────────────────────────────────────────────────

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '1,16,64' },
    only: { type: 'string' },
    idle: { type: 'string', default: '30' },
    'log-level': { type: 'string', default: 'info' },
    'open-rate': { type: 'string' },
    publish: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const log = createLog();

/** The card every payment uses: succeeds at the test acquirer; its expiry is always ahead. */
const card = {
  number: '4242424242424242',
  exp_month: 12,
  exp_year: new Date().getUTCFullYear() + 3,
  cvc: '123',
};
const paymentBody = JSON.stringify({
  amount: { value: 1000, currency: 'USD' },
  payment_method: { type: 'card', card },
  metadata: { order_id: 'bench' },
});

/**
 * The closed-model scenarios. `core` ones run at every connection count, the others at the
 * middle one. `shape(target)` is the request; `setup(api)` prepares its target once.
 */
const SCENARIOS = [
  {
    name: 'payments.create',
    route: 'POST /v2/payments',
    core: true,
    shape: () => ({ method: 'POST', path: '/v2/payments', body: paymentBody, idempotent: true }),
  },
  {
    name: 'customers.create',
    route: 'POST /v2/customers',
    core: true,
    shape: () => ({
      method: 'POST',
      path: '/v2/customers',
      body: JSON.stringify({ email: 'bench@example.com', name: 'Bench', metadata: { k: 'v' } }),
      idempotent: true,
    }),
  },
  {
    name: 'payments.get',
    route: 'GET /v2/payments/{id}',
    core: true,
    setup: async (api) => (await api('POST', '/v2/payments', JSON.parse(paymentBody))).id,
    shape: (id) => ({ method: 'GET', path: `/v2/payments/${id}` }),
  },
  {
    name: 'customers.get',
    route: 'GET /v2/customers/{id}',
    core: false,
    setup: async (api) => (await api('POST', '/v2/customers', { email: 'get@example.com' })).id,
    shape: (id) => ({ method: 'GET', path: `/v2/customers/${id}` }),
  },
  {
    name: 'payments.list',
    route: 'GET /v2/payments?limit=10',
    core: false,
    shape: () => ({ method: 'GET', path: '/v2/payments?limit=10' }),
  },
];
const OPEN = { name: 'payments.create.open', route: 'POST /v2/payments' };
const B1_NAMES = B1_VARIANTS.map((variant) => `b1.${variant}`);
const KNOWN = ['b0', 'b1', ...B1_NAMES, 'idle', ...SCENARIOS.map((s) => s.name), OPEN.name];

// ── state, and stopping whatever happens ────────────────────────────────────────────────────

let stack;
let shuttingDown;
const loads = new Set(); // stop() of each running load generator
const instruments = new Set(); // stop() of each lag instrument

class Interrupted extends Error {}
const guard = () => {
  if (shuttingDown) throw new Interrupted();
};

function shutdown(code, message) {
  shuttingDown ??= (async () => {
    if (message) log.fail(message);
    for (const stop of loads) stop();
    for (const stop of instruments) await stop();
    await stack?.stopAll();
    process.exit(code);
  })();
  return shuttingDown;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!shuttingDown) void shutdown(130, `${signal} received: stopping everything…`);
  });
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────

async function main() {
  const settings = readSettings();
  const plan = selection(settings);
  const startedAt = Date.now();
  const estimate = estimateSeconds(settings, plan);
  // Bounded whatever hangs: a generous multiple of what the plan should take.
  setTimeout(
    () =>
      void shutdown(1, `the run exceeded ${Math.round((estimate * 3 + 300) / 60)} min: stopped`),
    (estimate * 3 + 300) * 1000,
  ).unref();
  log.info(log.paint('1', 'FinFusion — benchmark'));
  log.info(`  about ${Math.round(estimate / 30) / 2} min; results in ${relative(benchDir)}/`);
  fs.mkdirSync(logDir, { recursive: true });

  await ensureDependencies(log, { quiet: true });
  guard();
  await turboBuild(log, { quiet: true });
  guard();

  const databaseUrl = withDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, DATABASE);
  stack = new Stack({
    log,
    logDir,
    ports: PORTS,
    adminOffset: 10,
    kafkaPort: KAFKA_PORT,
    databaseUrl,
    logLevel: settings.log_level,
    profileDir: options['cpu-prof'] ? profileDir : undefined,
  });
  if (options['cpu-prof']) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    log.info(`each service writes a CPU profile to ${relative(profileDir)} when it stops`);
  }
  await stack.startBroker();
  guard();
  await stack.recreateDatabase();
  log.ok(`database ${DATABASE} is empty`);
  guard();

  /** @type {Record<string, any>} */
  const results = {
    date: new Date().toISOString(),
    machine: await describeMachine(databaseUrl),
    settings,
    idle_cpu_pct: null,
    idle: null,
    baselines: {},
    scenarios: [],
    lags: null,
  };
  const measure = measurer(DATABASE);

  if (plan.b0) {
    results.baselines.b0 = await runB0({
      stack,
      log,
      port: PORTS.b0,
      connections: settings.connections,
      seconds: settings.duration_s,
      warmUp: WARM_UP_S,
      body: paymentBody,
      measure,
    });
  }
  for (const variant of plan.b1) {
    guard();
    results.baselines.b1 = [
      ...(results.baselines.b1 ?? []),
      ...(await runB1({
        stack,
        log,
        variant,
        seconds: settings.duration_s,
        warmUp: WARM_UP_S,
        measure,
      })),
    ];
  }

  if (plan.services) {
    guard();
    log.step('provisioning topics and starting the four services…');
    await stack.provisionTopics();
    await stack.startServices();
    log.ok(
      `all services are ready on ${PORT_BASE}–${PORT_BASE + 3} (LOG_LEVEL=${settings.log_level})`,
    );
    const merchant = await stack.createMerchant();
    const api = apiClient(merchant.api_key);
    guard();

    if (plan.idle) {
      log.step(`idle stack: ${SETTLE_S} s to settle, then ${settings.idle_s} s without traffic`);
      await sleep(SETTLE_S * 1000);
      guard();
      results.idle = await measure('idle', () => sleep(settings.idle_s * 1000)).then(
        (r) => r.resources,
      );
      results.idle_cpu_pct = stackCpu(results.idle);
      log.ok(`idle: ${results.idle_cpu_pct} % of one core (${cpuLine(results.idle)})`);
    }

    for (const scenario of plan.scenarios) {
      results.scenarios.push(
        ...(await runClosed(scenario, settings, api, merchant, measure, results)),
      );
    }

    if (plan.open) {
      const { row, lags } = await runOpen(settings, api, merchant, databaseUrl, measure, results);
      results.scenarios.push(row);
      results.lags = lags;
    }

    if (settings.other_log_levels.length > 0) {
      results.log_levels = await compareLogLevels(settings, plan, api, merchant, measure, results);
    }
  }

  results.wall_seconds = Math.round((Date.now() - startedAt) / 1000);
  await writeResults(results, settings.publish);
}

function readSettings() {
  const duration = positiveInteger('--duration', options.duration);
  const connections = options.connections
    .split(',')
    .map((value) => positiveInteger('--connections', value.trim()));
  const idle = Number(options.idle);
  if (!Number.isInteger(idle) || idle < 0) {
    throw new StepError(`--idle must be a whole number of seconds, not ${options.idle}`);
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const logLevels = [...new Set(options['log-level'].split(',').map((l) => l.trim()))];
  if (!logLevels.every((level) => levels.includes(level))) {
    throw new StepError(`--log-level takes one or more of ${levels.join(', ')}`);
  }
  return {
    duration_s: duration,
    warm_up_s: WARM_UP_S,
    connections: [...new Set(connections)].sort((a, b) => a - b),
    idle_s: idle,
    open_duration_s: duration * 2,
    open_rate: options['open-rate'] ? positiveNumber('--open-rate', options['open-rate']) : null,
    log_level: logLevels[0],
    other_log_levels: logLevels.slice(1),
    b1_in_flight: B1_IN_FLIGHT,
    publish: options.publish,
    ports: { base: PORT_BASE, kafka: KAFKA_PORT },
  };
}

function selection(settings) {
  const wanted = options.only
    ? options.only
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : KNOWN;
  const unknown = wanted.filter((name) => !KNOWN.includes(name));
  if (unknown.length > 0) {
    throw new StepError(`unknown name ${unknown.join(', ')}; known: ${KNOWN.join(', ')}`);
  }
  const scenarios = SCENARIOS.filter((s) => wanted.includes(s.name));
  const open = wanted.includes(OPEN.name);
  const idle = wanted.includes('idle') && settings.idle_s > 0;
  return {
    b0: wanted.includes('b0'),
    b1: B1_VARIANTS.filter((v) => wanted.includes('b1') || wanted.includes(`b1.${v}`)),
    scenarios,
    open,
    idle,
    services: scenarios.length > 0 || open || idle,
  };
}

function estimateSeconds(settings, plan) {
  const d = settings.duration_s;
  const counts = settings.connections.length;
  let total = 30; // build, broker, database
  if (plan.b0) total += WARM_UP_S + counts * d + 2;
  total += plan.b1.length * (6 + WARM_UP_S + B1_IN_FLIGHT.length * d);
  if (plan.services) total += 25;
  if (plan.idle) total += SETTLE_S + settings.idle_s;
  for (const s of plan.scenarios) total += WARM_UP_S + (s.core ? counts : 1) * d;
  if (plan.open) total += settings.open_duration_s + 8;
  total +=
    settings.other_log_levels.length * (25 + (plan.idle ? SETTLE_S + settings.idle_s : 0) + d);
  return total + 12; // stopping
}

// ── measurements ───────────────────────────────────────────────────────────────────────────

/** Wraps a measurement with the process sampler: resolves with {...result, resources}. */
function measurer(database) {
  let kafka;
  const helperPids = (name) =>
    [...stack.helpers].filter((h) => h.name === name).map((h) => h.child.pid);
  const targets = [
    ...APPS.map((app) => ({ name: app, pids: () => [stack.servicePid(app)] })),
    { name: 'kafka', pids: () => [(kafka ??= kafkaPid(KAFKA_PORT))] },
    { name: 'postgres', pids: () => postgresPids(database), shared: true },
    { name: 'bench', pids: () => [process.pid] },
    ...['b0-server', 'b1-requester', 'b1-responder'].map((name) => ({
      name,
      pids: () => helperPids(name),
    })),
  ];
  return async (_label, fn) => {
    guard();
    stack.assertServicesRunning();
    const sampler = new ProcessSampler(targets).start();
    let result;
    try {
      result = await fn();
    } finally {
      result = { ...result, resources: sampler.stop() };
    }
    guard();
    stack.assertServicesRunning();
    return result;
  };
}

async function runClosed(scenario, settings, api, merchant, measure, results) {
  guard();
  const counts = scenario.core
    ? settings.connections
    : [settings.connections[Math.floor((settings.connections.length - 1) / 2)]];
  let target;
  try {
    target = scenario.setup ? await scenario.setup(api) : undefined;
  } catch (error) {
    // Counted and shown like any error, not fatal: the other scenarios still run.
    if (!(error instanceof StepError)) throw error;
    log.fail(`${scenario.name}: setup failed, skipped: ${error.message}`);
    const { name, route } = scenario;
    return counts.map((connections) => ({
      name,
      route,
      model: 'closed',
      connections,
      skipped: `setup failed: ${error.message}`,
    }));
  }
  const shape = withHeaders(scenario.shape(target), merchant.api_key);
  const rows = [];
  await load(closedLoad, {
    url: GATEWAY_URL,
    shape,
    connections: Math.max(...counts),
    seconds: WARM_UP_S,
  });
  for (const connections of counts) {
    log.step(
      `${scenario.name}: ${scenario.route} — ${settings.duration_s} s, ${connections} connections`,
    );
    const measured = await measure(scenario.name, () =>
      load(closedLoad, { url: GATEWAY_URL, shape, connections, seconds: settings.duration_s }),
    );
    const b0 = results.baselines.b0?.find((row) => row.connections === connections);
    const row = {
      name: scenario.name,
      route: scenario.route,
      model: 'closed',
      connections,
      ...measured,
      ratio_to_b0: b0 ? round(measured.rps / b0.rps, 4) : null,
      cpu_ms_per_request: perRequest(measured, results.idle),
    };
    rows.push(row);
    log.ok(`${line(row)}${row.ratio_to_b0 !== null ? `, ×${row.ratio_to_b0} B0` : ''}`);
    log.info(`    CPU % of one core: ${cpuLine(row.resources)}`);
  }
  return rows;
}

async function runOpen(settings, api, merchant, databaseUrl, measure, results) {
  guard();
  let rate = settings.open_rate;
  let basis = 'set by --open-rate';
  if (!rate) {
    basis = 'half the best closed-model req/s of `POST /v2/payments`';
    let peak = Math.max(
      0,
      ...results.scenarios
        .filter((s) => s.name === 'payments.create' && !s.skipped)
        .map((s) => s.rps),
    );
    if (peak === 0) {
      log.step('payments.create was not measured: 5 s at 16 connections to find its peak');
      const shape = withHeaders(SCENARIOS[0].shape(), merchant.api_key);
      peak = (await load(closedLoad, { url: GATEWAY_URL, shape, connections: 16, seconds: 5 })).rps;
      basis = 'half the req/s of `POST /v2/payments` in 5 s at 16 connections';
    }
    rate = Math.max(1, round(peak / 2) ?? 0);
  }
  const seconds = settings.open_duration_s;

  log.step('lags: a Kafka consumer, a webhook receiver, a projection sampler…');
  const consumer = await startEventConsumer({
    brokers: stack.brokers,
    topic: PAYMENT_EVENTS_TOPIC,
    merchantId: merchant.merchant_id,
  });
  instruments.add(consumer.stop);
  const receiver = await startWebhookReceiver(PORTS.receiver);
  instruments.add(receiver.stop);
  const registered = await api('POST', '/v2/webhooks', {
    url: receiver.url,
    events: ['payment.succeeded'],
  }).then(
    () => true,
    (error) => {
      if (!(error instanceof StepError)) throw error;
      log.fail(`registering the webhook endpoint failed, no webhook lag: ${error.message}`);
      return false;
    },
  );
  const projection = await startProjectionSampler({
    databaseUrl,
    schema: PAYMENTS_SCHEMA,
    subscription: DAILY_SUMMARY_SUBSCRIPTION,
  });
  instruments.add(projection.stop);
  await sleep(1000); // the consumer has fetched from the end of the topic
  guard();

  log.step(`${OPEN.name}: ${OPEN.route} at ${rate} req/s (open model) — ${seconds} s`);
  const created = new Set();
  const succeeded = new Set();
  consumer.open();
  receiver.open();
  projection.open();
  const measured = await measure(OPEN.name, () =>
    load(openLoad, {
      url: GATEWAY_URL,
      shape: withHeaders(SCENARIOS[0].shape(), merchant.api_key),
      rate,
      seconds,
      onResponse: (body) => {
        const payment = JSON.parse(body);
        created.add(payment.id);
        if (payment.status === 'succeeded') succeeded.add(payment.id);
      },
    }),
  );
  projection.close();
  const row = {
    name: OPEN.name,
    route: OPEN.route,
    model: 'open',
    connections: null,
    seconds,
    rate_basis: basis,
    ...measured,
    ratio_to_b0: null,
    cpu_ms_per_request: perRequest(measured, results.idle),
  };
  log.ok(`${line(row)} (target ${rate} req/s, ${row.max_in_flight} in flight at most)`);
  log.info(`    CPU % of one core: ${cpuLine(row.resources)}`);

  // Every payment's two events (created, then its outcome), every success's webhook.
  const expectedEvents = created.size * 2;
  const drained = () =>
    consumer.count(created) >= expectedEvents &&
    (!registered || receiver.count(succeeded) >= succeeded.size) &&
    projection.caughtUp();
  const deadline = Date.now() + DRAIN_S * 1000;
  while (!drained() && Date.now() < deadline) {
    guard();
    await sleep(200);
  }
  const publish = lagSummary(consumer.lags(created));
  const webhook = lagSummary(receiver.lags(succeeded));
  const projected = projection.result();
  const projectionLags = lagSummary(projected.lags);
  for (const stop of [consumer.stop, receiver.stop, projection.stop]) {
    instruments.delete(stop);
    await stop();
  }
  const lags = {
    publish_p50_ms: publish.p50_ms,
    publish_p99_ms: publish.p99_ms,
    publish_max_ms: publish.max_ms,
    publish_samples: publish.samples,
    publish_missing: Math.max(0, expectedEvents - publish.samples),
    webhook_p50_ms: webhook.p50_ms,
    webhook_p99_ms: webhook.p99_ms,
    webhook_max_ms: webhook.max_ms,
    webhook_samples: webhook.samples,
    webhook_missing: registered ? Math.max(0, succeeded.size - webhook.samples) : null,
    projection_p50_ms: projectionLags.p50_ms,
    projection_p99_ms: projectionLags.p99_ms,
    projection_max_ms: projectionLags.max_ms,
    projection_samples: projectionLags.samples,
    projection_missing: projected.missing,
    projection_interval_ms: projected.interval_ms,
  };
  log.ok(
    `lags p50/p99: publish ${lags.publish_p50_ms}/${lags.publish_p99_ms} ms, ` +
      `webhook ${lags.webhook_p50_ms}/${lags.webhook_p99_ms} ms, ` +
      `projection ${lags.projection_p50_ms}/${lags.projection_p99_ms} ms`,
  );
  return { row, lags };
}

/**
 * What the log level costs: for each further --log-level, the services are restarted with it,
 * then the idle stack and POST /v2/payments at the middle connection count are measured again,
 * on the same build and database as the main run.
 */
async function compareLogLevels(settings, plan, api, merchant, measure, results) {
  const connections = settings.connections[Math.floor((settings.connections.length - 1) / 2)];
  const scenario = SCENARIOS[0];
  const summary = (level, idle, row) => ({
    log_level: level,
    idle_cpu_pct: idle ? stackCpu(idle) : null,
    idle_services_cpu_pct: idle ? servicesCpu(idle) : null,
    connections,
    rps: row?.rps ?? null,
    errors: row?.errors ?? null,
    cpu_ms_per_request: row?.cpu_ms_per_request ?? null,
  });
  const main = results.scenarios.find(
    (row) => row.name === scenario.name && row.connections === connections && !row.skipped,
  );
  const rows = [summary(settings.log_level, results.idle, main)];
  for (const level of settings.other_log_levels) {
    guard();
    log.step(`LOG_LEVEL=${level}: restarting the services…`);
    await stack.stopServices();
    stack.logLevel = level;
    await stack.startServices();
    let idle = null;
    if (plan.idle) {
      await sleep(SETTLE_S * 1000);
      idle = (await measure('idle', () => sleep(settings.idle_s * 1000))).resources;
      log.ok(`idle at ${level}: ${stackCpu(idle)} % of one core (${cpuLine(idle)})`);
    }
    let row;
    if (main) {
      const [measured] = await runClosed(
        scenario,
        { ...settings, connections: [connections] },
        api,
        merchant,
        measure,
        { ...results, idle },
      );
      row = measured;
    }
    rows.push(summary(level, idle, row));
  }
  return rows;
}

/** Runs a load generator so that a Ctrl-C can stop it at once. */
function load(generator, args) {
  guard();
  let stop;
  const running = generator({ ...args, onStart: (s) => loads.add((stop = s)) });
  return running.finally(() => loads.delete(stop));
}

function withHeaders(shape, apiKey) {
  return {
    ...shape,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  };
}

/**
 * CPU per request, in ms: of the four services, of the whole stack (services, broker, Postgres),
 * and of the services above what they burn idle (their pollers), when the idle stack was
 * measured: the figure to compare between runs and settings.
 */
function perRequest({ requests, resources }, idle) {
  if (!requests) return null;
  const ms = (names, cpu) =>
    (names.reduce((sum, name) => sum + (cpu[name] ?? 0), 0) / 100) * resources.seconds * 1000;
  return {
    services: round(ms(APPS, resources.cpu_pct) / requests, 2),
    stack: round(ms([...APPS, 'kafka', 'postgres'], resources.cpu_pct) / requests, 2),
    services_above_idle: idle
      ? round(Math.max(0, ms(APPS, resources.cpu_pct) - ms(APPS, idle.cpu_pct)) / requests, 2)
      : null,
  };
}

const servicesCpu = (resources) =>
  round(APPS.reduce((sum, name) => sum + (resources.cpu_pct[name] ?? 0), 0));

/** The idle stack: services, broker and Postgres, in % of one core. */
function stackCpu(resources) {
  return round(
    [...APPS, 'kafka', 'postgres'].reduce((sum, name) => sum + (resources.cpu_pct[name] ?? 0), 0),
  );
}

function cpuLine(resources) {
  return Object.entries(resources.cpu_pct)
    .map(([name, pct]) => `${name} ${Math.round(pct)}`)
    .concat(`other ${Math.round(resources.other_cpu_pct)}`)
    .join(', ');
}

function apiClient(apiKey) {
  return async (method, route, body) => {
    const response = await fetch(`${GATEWAY_URL}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new StepError(`${method} ${route} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  };
}

// ── the machine, and the output ─────────────────────────────────────────────────────────────

async function describeMachine(databaseUrl) {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? os.cpus()[0]?.model;
  const pom = fs.readFileSync(path.join(root, 'infra', 'kafka', 'pom.xml'), 'utf8');
  const version = (pkg) => {
    try {
      const file = path.join(root, 'node_modules', pkg, 'package.json');
      return JSON.parse(fs.readFileSync(file, 'utf8')).version;
    } catch {
      return null;
    }
  };
  let postgres = null;
  try {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => {});
    await client.connect();
    postgres = (await client.query('SHOW server_version')).rows[0].server_version.split(' ')[0];
    await client.end();
  } catch {
    // reported as unknown
  }
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu_model: model,
    cores: os.cpus().length,
    memory_gib: round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    kafka: /<kafka\.version>(.+)<\/kafka\.version>/.exec(pom)?.[1] ?? null,
    postgres,
    kafkajs: version('kafkajs'),
    fastify: version('fastify'),
    autocannon: version('autocannon'),
    commit,
    load_average_at_start: os.loadavg().map((v) => round(v, 2)),
  };
}

async function writeResults(results, publish) {
  fs.mkdirSync(benchDir, { recursive: true });
  const files = {
    json: path.join(benchDir, 'results.json'),
    md: path.join(benchDir, 'results.md'),
    svg: path.join(benchDir, 'chart.svg'),
  };
  const markdown = await prettierMarkdown(
    renderMarkdown(results),
    path.join(publishDir, 'results.md'),
  );
  fs.writeFileSync(files.json, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(files.md, markdown);
  fs.writeFileSync(files.svg, renderSvg(results));
  process.stdout.write(`\n${markdown}\n`);
  log.ok(`written: ${Object.values(files).map(relative).join(', ')} (${results.wall_seconds} s)`);
  if (!publish) return;
  fs.mkdirSync(publishDir, { recursive: true });
  fs.copyFileSync(files.md, path.join(publishDir, 'results.md'));
  fs.copyFileSync(files.svg, path.join(publishDir, 'chart.svg'));
  const text = fs.readFileSync(resultsPage, 'utf8');
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  if (start === -1 || end < start) {
    log.warn(
      `${relative(resultsPage)} has no ${RESULTS_START} … ${RESULTS_END} block: not updated`,
    );
  } else {
    const updated = `${text.slice(0, start + RESULTS_START.length)}\n\n${markdown}\n${text.slice(end)}`;
    fs.writeFileSync(resultsPage, updated);
  }
  log.ok(
    `published: ${relative(publishDir)}/results.md, chart.svg and the tables of ${relative(resultsPage)}`,
  );
}

// ── small helpers ──────────────────────────────────────────────────────────────────────────

function integerEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65_000) {
    throw new StepError(`${name} must be a port number, not ${value}`);
  }
  return number;
}

function positiveInteger(name, value) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new StepError(`${name} must be a positive integer, not ${value}`);
  }
  return number;
}

function positiveNumber(name, value) {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new StepError(`${name} must be a positive number, not ${value}`);
  }
  return number;
}

main().then(
  () => shutdown(0),
  (error) => {
    if (error instanceof Interrupted || shuttingDown) return shuttingDown;
    return shutdown(
      1,
      error instanceof StepError ? error.message : (error?.stack ?? String(error)),
    );
  },
);
