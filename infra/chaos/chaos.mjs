// `npm run chaos`: scripted faults under a steady load, each followed by an audit.
//
// One stack of its own for the whole run: a broker on 127.0.0.1:19492 (CHAOS_KAFKA_PORT), the
// database finfusion_chaos (recreated; CHAOS_DATABASE), the four built services on ports
// 14000–14003 (CHAOS_PORT_BASE; replicas on +4 and +5; each one's admin port, health and metrics,
// 20 above its HTTP port), which reach Postgres through a TCP proxy on +9 that the Postgres
// outage pauses, and two webhook receivers on +10 and +11.
//
// Each scenario has a merchant of its own with both receivers subscribed to every event type,
// runs an open-loop load of payment and customer creates (each with an Idempotency-Key, retried
// with the same key on 5xx, 409, 429 and connection errors, as a client would), applies its
// fault mid-load, stops the load, lets the retries and the system drain, then audits:
//   - every request answered 2xx (or 402) is in the log exactly once, under its key, and in the
//     read model with the status it was answered with; replays answered the same id;
//   - no payment or customer exists that no request created; one key, one payment;
//   - stream versions have no gaps; the payments read model equals a rebuild from the log;
//   - every event of the log is on Kafka (counted once by id), in order per stream;
//   - every (event, endpoint) pair was delivered and verified with `standardwebhooks`;
//   - clients saw errors only while the fault lasted and up to 60 s after it ended, only
//     503/504/409/429 or a refused connection (never a 500 or 502).
// One table row per scenario; the run ends with `N passed, M failed` (exit code 1 on a failure).
//
//   node infra/chaos/chaos.mjs                 every scenario (about 10 minutes)
//   node infra/chaos/chaos.mjs --short         one of each kind (about 5 minutes)
//   node infra/chaos/chaos.mjs --only kill-payments,postgres-outage
// Options: --no-build (use the built services as they are), --rate <req/s> (5), --keep-logs.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  DEFAULT_DATABASE_URL,
  StepError,
  createLog,
  root,
  sleep,
  turboBuild,
  withDatabase,
} from '../dev/common.mjs';
import { audit, drainWebhooks } from './audit.mjs';
import { ChaosStack } from './chaos-stack.mjs';
import { Load } from './load.mjs';
import { TcpProxy } from './pg-proxy.mjs';
import { Receiver } from './receivers.mjs';

const RECOVERY_LIMIT_MS = 60_000;
const SETTLE_MS = 60_000; // retries go on this long after the load stops
const DRAIN_MS = 150_000; // longest wait for the last webhook deliveries

const { values: options } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    rate: { type: 'string', default: '5' },
  },
});

const log = createLog();
const base = Number(process.env.CHAOS_PORT_BASE || 14000);
const kafkaPort = Number(process.env.CHAOS_KAFKA_PORT || 19492);
const databaseUrl = withDatabase(
  process.env.CHAOS_DATABASE_URL || DEFAULT_DATABASE_URL,
  process.env.CHAOS_DATABASE || 'finfusion_chaos',
);
const ports = {
  gateway: base,
  payments: base + 1,
  customers: base + 2,
  'webhook-dispatcher': base + 3,
};
const logDir = path.join(root, '.cache', base === 14000 ? 'chaos' : `chaos-${base}`);
const rate = Number(options.rate);

const stack = new ChaosStack({
  log,
  logDir,
  ports,
  adminOffset: 20,
  kafkaPort,
  databaseUrl,
  logLevel: 'info',
  proxyPort: base + 9,
});
const dbUrl = new URL(databaseUrl);
const proxy = new TcpProxy({
  port: base + 9,
  targetHost: dbUrl.hostname,
  targetPort: Number(dbUrl.port || 5432),
});
const receivers = [
  new Receiver({ name: 'receiver-a', port: base + 10 }),
  new Receiver({ name: 'receiver-b', port: base + 11 }),
];
const gatewayUrl = (port) => `http://127.0.0.1:${port}`;

// ── faults ────────────────────────────────────────────────────────────────────────────────
// Each takes the scenario's context and returns { start, end }: when the fault began and when
// it was lifted (the restart issued, the proxy resumed…); recovery is measured from `end`.

const killAndRestart = (name, downMs) => async () => {
  const start = Date.now();
  await stack.kill9(name);
  await sleep(downMs);
  const end = Date.now();
  await stack.restart(name);
  return { start, end };
};

async function brokerRestart() {
  const start = Date.now();
  await stack.killBroker();
  await sleep(5000);
  // The broker's own start (log recovery after an unclean stop) is part of the fault.
  await stack.restartBroker();
  return { start, end: Date.now() };
}

async function postgresOutage() {
  const start = Date.now();
  proxy.pause();
  await sleep(10_000);
  proxy.resume();
  return { start, end: Date.now() };
}

const receiverDown = (downMs) => async () => {
  await receivers[0].stop();
  await sleep(downMs);
  await receivers[0].start();
  return undefined; // clients must see no error at all
};

const receiverSlow = (delayMs, forMs) => async () => {
  receivers[0].delayMs = delayMs;
  await sleep(forMs);
  receivers[0].delayMs = 0;
  return undefined;
};

/** Two replicas of payments and of the gateway; one of each is killed and not restarted. */
const replicas = {
  before: async () => {
    stack.startInstance('payments-2', 'payments', base + 5);
    stack.startInstance('gateway-2', 'gateway', base + 4);
    await Promise.all([stack.waitReady('payments-2'), stack.waitReady('gateway-2')]);
    return [gatewayUrl(base), gatewayUrl(base + 4)];
  },
  fault: async () => {
    const start = Date.now();
    await Promise.all([stack.kill9('payments-2'), stack.kill9('gateway-2')]);
    return { start, end: start };
  },
};

const SCENARIOS = [
  { name: 'kill-payments', short: true, fault: killAndRestart('payments', 5000) },
  { name: 'kill-customers', fault: killAndRestart('customers', 5000) },
  { name: 'kill-gateway', fault: killAndRestart('gateway', 5000) },
  { name: 'kill-dispatcher', fault: killAndRestart('webhook-dispatcher', 5000) },
  { name: 'broker-restart', short: true, fault: brokerRestart },
  { name: 'postgres-outage', short: true, fault: postgresOutage },
  {
    name: 'receiver-down',
    short: true,
    fault: receiverDown(60_000),
    shortFault: receiverDown(20_000),
  },
  { name: 'receiver-slow', fault: receiverSlow(2000, 15_000) },
  { name: 'replica-kill', short: true, before: replicas.before, fault: replicas.fault },
];

// ── one scenario ──────────────────────────────────────────────────────────────────────────

/**
 * @param {string} apiKey
 * @param {string} pathname
 * @param {object} body
 * @returns {Promise<Record<string, any>>}
 */
/**
 * A scenario's set-up call, made as the API asks clients to: with an Idempotency-Key, retried with
 * the same key after a 5xx or a lost connection. A service still reconnecting after the previous
 * scenario's fault (kafkajs restarts a crashed consumer with a growing backoff) then delays the
 * set-up instead of failing it; the scenario's own load is what the audit judges.
 */
async function apiPost(apiKey, pathname, body) {
  const key = randomUUID();
  for (let attempt = 1; ; attempt += 1) {
    let response;
    try {
      response = await fetch(`${gatewayUrl(base)}${pathname}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      if (attempt >= 6) throw error;
      await sleep(2_000);
      continue;
    }
    const json = /** @type {Record<string, any>} */ (await response.json());
    if (response.ok) return json;
    if (response.status < 500 || attempt >= 6)
      throw new StepError(`POST ${pathname}: ${response.status} ${JSON.stringify(json)}`);
    await sleep(2_000);
  }
}

async function runScenario(scenario, db) {
  const began = Date.now();
  const { merchant_id: merchantId, api_key: apiKey } = await stack.createMerchant();
  const endpoints = [];
  for (const receiver of receivers) {
    const { url, token } = receiver.newPath();
    const endpoint = await apiPost(apiKey, '/v2/webhooks', { url, events: ['*'] });
    receiver.attachSecret(token, endpoint.secret);
    endpoints.push({ name: receiver.name, received: () => receiver.received(token) });
  }
  const gateways = (await scenario.before?.()) ?? [gatewayUrl(base)];
  const load = new Load({ gateways, apiKey, rate });
  const loadMs = options.short ? 25_000 : 35_000;
  load.start();
  await sleep(5000);
  // The fault runs beside the load: a long one (a receiver down for a minute) outlasts it.
  const faulted = ((options.short && scenario.shortFault) || scenario.fault)();
  const loadLeft = load.startedAt + loadMs - Date.now();
  if (loadLeft > 0) await sleep(loadLeft);
  const settled = load.settle(SETTLE_MS);
  const fault = await faulted.catch(async (error) => {
    await settled;
    throw error;
  });
  await settled;
  const missing = await drainWebhooks({ pg: db, merchantId, endpoints, timeoutMs: DRAIN_MS });
  if (missing > 0)
    log.warn(`${scenario.name}: ${missing} deliveries still missing after the drain`);
  const result = await audit({
    pg: db,
    merchantId,
    load,
    endpoints,
    brokers: stack.brokers,
    fault,
    recoveryLimitMs: RECOVERY_LIMIT_MS,
    rebuildEnv: { ...stack.serviceEnv(), DATABASE_URL: stack.directUrl() },
  });
  return { ...result, seconds: Math.round((Date.now() - began) / 1000) };
}

// ── the run ───────────────────────────────────────────────────────────────────────────────

/** @type {[string, number][]} */
const COLUMNS = [
  ['scenario', 16],
  ['requests', 8],
  ['2xx', 5],
  ['error answers', 13],
  ['recovery', 9],
  ['events', 7],
  ['webhooks', 8],
  ['time', 6],
  ['audit', 6],
];
const row = (cells) =>
  `| ${cells.map((cell, i) => String(cell).padEnd(COLUMNS[i][1])).join(' | ')} |`;

/** Problems of one kind once, with a count and a first example: `500 internal_error ×31`. */
function groupProblems(problems) {
  const groups = new Map();
  for (const text of problems) {
    const kind = text.replace(/\b(chaos_[0-9a-f_]+|pay_\w+|cust_\w+|evt_\w+)/g, '…');
    const group = groups.get(kind) ?? { count: 0, example: text };
    group.count += 1;
    groups.set(kind, group);
  }
  return [...groups.values()].map(({ count, example }) =>
    count > 1 ? `${example} (and ${count - 1} alike)` : example,
  );
}

let shuttingDown = false;
async function shutdown() {
  shuttingDown = true;
  await Promise.all(receivers.map((r) => r.stop().catch(() => {})));
  await stack.stopAll().catch((error) => {
    log.fail(error.message);
  });
  await proxy.close().catch(() => {});
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (shuttingDown) return;
    log.warn(`${signal} received: stopping everything…`);
    void shutdown().finally(() => process.exit(130));
  });
}

async function main() {
  const only = options.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new StepError(`unknown scenario ${unknown.join(', ')}`);
  const chosen = SCENARIOS.filter((s) =>
    only ? only.includes(s.name) : !options.short || s.short,
  );
  const began = Date.now();

  if (!options['no-build']) await turboBuild(log, { quiet: true });
  fs.mkdirSync(logDir, { recursive: true });
  for (const file of fs.readdirSync(logDir)) fs.rmSync(path.join(logDir, file), { force: true });
  await stack.recreateDatabase();
  await stack.startBroker();
  await stack.provisionTopics();
  await proxy.listen();
  await Promise.all(receivers.map((r) => r.start()));
  log.step('starting the services…');
  await stack.startAll();
  log.ok(
    `stack ready in ${Math.round((Date.now() - began) / 1000)} s; logs in ${path.relative(process.cwd(), logDir)}`,
  );

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let passed = 0;
  let failed = 0;
  log.info(row(COLUMNS.map(([name]) => name)));
  log.info(row(COLUMNS.map(([, width]) => '-'.repeat(width))));
  try {
    for (const scenario of chosen) {
      let result;
      try {
        result = await runScenario(scenario, db);
      } catch (error) {
        result = { ok: false, problems: [`scenario failed: ${error.message}`], summary: undefined };
      }
      const s = result.summary;
      log.info(
        row([
          scenario.name,
          s?.requests ?? '-',
          s?.answered ?? '-',
          s?.faultErrors ?? '-',
          s ? `${(s.recoveryMs / 1000).toFixed(1)} s` : '-',
          s?.events ?? '-',
          s?.deliveries ?? '-',
          result.seconds !== undefined ? `${result.seconds} s` : '-',
          result.ok ? 'pass' : 'FAIL',
        ]),
      );
      if (result.ok) passed += 1;
      else {
        failed += 1;
        for (const line of groupProblems(result.problems).slice(0, 12)) log.info(`    ${line}`);
        const file = path.join(logDir, `${scenario.name}.problems.txt`);
        fs.writeFileSync(file, `${result.problems.join('\n')}\n`);
      }
    }
  } finally {
    await db.end().catch(() => {});
  }
  log.info(`run took ${Math.round((Date.now() - began) / 1000)} s`);
  return { passed, failed };
}

let outcome = { passed: 0, failed: 1 };
try {
  outcome = await main();
} catch (error) {
  log.fail(error instanceof StepError ? error.message : (error?.stack ?? String(error)));
}
await shutdown();
log.info(`${outcome.passed} passed, ${outcome.failed} failed`);
process.exit(outcome.failed > 0 ? 1 : 0);
