// `npm start`: the whole platform on this machine, from a fresh clone.
//
// Installs dependencies if needed, creates the database, starts (or reuses) a local Kafka broker,
// builds, provisions topics, migrates each app's schema as the database's owner and starts the
// four services as their own least-privilege roles (as Kubernetes runs them), with logs in
// .cache/logs/, waits until they are ready, makes sure a development merchant exists and prints how to call the API.
// Then it supervises them: a service that exits is started again after a growing pause (1 s,
// 2 s, 4 s … 30 s; back to 1 s once it has run for a minute), as Kubernetes would, and the
// terminal says so. Only Ctrl-C stops everything: the services, then the broker if this run
// started it. A service that crashes three times before the stack is first ready stops the run
// with its log (a configuration error does not heal by retrying).
//
// Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/finfusion),
// KAFKA_BROKERS (default: a local broker on 127.0.0.1:$KAFKA_PORT, 9092, started by
// infra/kafka/kafka.sh),
// LOG_LEVEL (info), CARD_FINGERPRINT_KEY (a fixed development key), PORT_BASE (3000: gateway,
// then payments, customers and webhook-dispatcher on the next ports), ADMIN_PORT_BASE
// (PORT_BASE + 100: their admin ports, health and metrics, in the same order), STATE_DIR (.cache:
// logs/ and the development merchant's key).
//
// Services and the broker run in their own process groups (detached): the terminal's Ctrl-C,
// which signals the whole foreground group, reaches only this script, which then stops them in
// order: services first (they leave their consumer groups cleanly), the broker last.
import fs from 'node:fs';
import path from 'node:path';
import {
  APPS,
  DEFAULT_DATABASE_URL,
  DEV_CARD_FINGERPRINT_KEY,
  StepError,
  activeChildren,
  brokerHandle,
  connectionAs,
  createLog,
  databaseName,
  ensureDatabase,
  ensureDependencies,
  ensureLoginRoles,
  isBrokerReachable,
  isPortOpen,
  isServiceReady,
  redactUrl,
  relative,
  root,
  run,
  signalChild,
  sleep,
  serviceRoleName,
  spawnService,
  startLocalBroker,
  stopLocalBroker,
  tail,
  turboBuild,
} from './common.mjs';

const PORT_BASE = Number(process.env.PORT_BASE || 3000);
const KAFKA_PORT = Number(process.env.KAFKA_PORT || 9092);
const PORTS = Object.fromEntries(APPS.map((app, index) => [app, PORT_BASE + index]));
// Health and metrics: each app's admin port, from ADMIN_PORT_BASE (PORT_BASE + 100: the apps'
// defaults beside theirs).
const ADMIN_PORT_BASE = Number(process.env.ADMIN_PORT_BASE || PORT_BASE + 100);
const ADMIN_PORTS = Object.fromEntries(APPS.map((app, index) => [app, ADMIN_PORT_BASE + index]));
const GATEWAY_URL = `http://127.0.0.1:${PORTS.gateway}`;
const READY_TIMEOUT_MS = 120_000;
// Services force their own exit after SHUTDOWN_TIMEOUT_MS (15 s, the gateway 25 s); SIGKILL
// only after this.
const STOP_TIMEOUT_MS = 30_000;
// Pauses before a crashed service starts again; the last one repeats.
const RESTART_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000, 30_000];
// A service up this long is healthy again: its next crash restarts it after the first pause.
const STABLE_AFTER_MS = 60_000;
const CRASHES_BEFORE_READY = 3;
const stateDir = path.resolve(root, process.env.STATE_DIR || '.cache');
const logDir = path.join(stateDir, 'logs');
const merchantFile = path.join(stateDir, 'dev-merchant.json');
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

const log = createLog();
/** app -> { child, detached, logFile, exited, startedAt, crashes, restartTimer } */
const services = new Map();
let broker;
let stopping;
let stackReady = false;
let firstSignalAt = 0;
let forced = false;

class Interrupted extends Error {}
const guard = () => {
  if (stopping) throw new Interrupted();
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    onSignal(signal);
  });

function onSignal(signal) {
  if (!stopping) {
    firstSignalAt = Date.now();
    log.info('');
    log.step(`${signal} received: stopping…`);
    void stop(0);
    return;
  }
  // A Ctrl-C arrives twice (from the terminal and forwarded by npm); only a later one means
  // "do not wait any longer".
  if (!forced && Date.now() - firstSignalAt > 1500) {
    forced = true;
    log.warn('forced stop: killing the services now');
    for (const service of services.values()) signalChild(service, 'SIGKILL');
  }
}

async function main() {
  log.info(log.paint('1', 'FinFusion — development stack'));
  fs.mkdirSync(logDir, { recursive: true });

  await ensureDependencies(log);
  guard();

  log.step(`Postgres: ${redactUrl(databaseUrl)}…`);
  const created = await ensureDatabase(databaseUrl);
  log.ok(`database ${databaseName(databaseUrl)} ${created ? 'created' : 'exists'}`);
  guard();

  let brokers = process.env.KAFKA_BROKERS;
  if (brokers) {
    if (!(await isBrokerReachable(brokers))) {
      throw new StepError(`KAFKA_BROKERS=${brokers} does not accept connections.`);
    }
    log.ok(`Kafka: using KAFKA_BROKERS=${brokers}`);
  } else {
    broker = brokerHandle(KAFKA_PORT);
    await startLocalBroker(broker, log);
    brokers = `127.0.0.1:${KAFKA_PORT}`;
  }
  guard();

  await turboBuild(log, { quiet: true });
  guard();

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
  };

  log.step('provisioning Kafka topics…');
  await runLogged('topic provisioning', 'provision', ['libs/kafka/dist/provision.cli.js'], env);
  log.ok('topics are in place');
  guard();

  const roles = await migrateAsOwner(env);
  guard();

  for (const app of APPS) {
    for (const port of [PORTS[app], ADMIN_PORTS[app]]) {
      if (await isPortOpen(port)) {
        throw new StepError(
          `port ${port} (${app}) is already in use: is another \`npm start\` running?`,
        );
      }
    }
  }
  log.step(`starting ${APPS.join(', ')} (logs in ${relative(logDir)}/)…`);
  for (const app of APPS) startService(app, serviceEnv(app, env, roles));

  await waitUntilReady();
  guard();
  stackReady = true;
  log.ok('all services are ready');

  const merchant = await developmentMerchant(env);
  guard();

  printSummary(merchant);
}

/**
 * Creates each app's role (`<database>_<app>`) and runs the app's migrate command as the URL's
 * user, which grants the role its rights (docs/operations.md, Postgres roles). Returns the roles,
 * or undefined when that user may not create roles: the services then run as that user and
 * migrate at start-up, as before.
 */
async function migrateAsOwner(env) {
  const roles = Object.fromEntries(APPS.map((app) => [app, serviceRoleName(databaseUrl, app)]));
  if (!(await ensureLoginRoles(databaseUrl, Object.values(roles)))) {
    log.warn(
      `${redactUrl(databaseUrl)} may not create roles: the services run as its user and migrate at start-up`,
    );
    return undefined;
  }
  log.step('migrating (as the owner; the services run as their roles)…');
  await Promise.all(
    APPS.map((app) =>
      runLogged(`${app} migrations`, `migrate-${app}`, [`apps/${app}/dist/migrate.cli.js`], {
        ...env,
        DATABASE_SERVICE_ROLE: roles[app],
      }),
    ),
  );
  log.ok(`schemas are migrated; roles ${Object.values(roles).join(', ')}`);
  return roles;
}

function serviceEnv(app, env, roles) {
  const own = { PORT: String(PORTS[app]), ADMIN_PORT: String(ADMIN_PORTS[app]) };
  if (roles !== undefined) {
    own.DATABASE_URL = connectionAs(databaseUrl, roles[app]);
    own.MIGRATIONS_RUN = 'false';
  }
  if (app === 'payments') {
    own.CARD_FINGERPRINT_KEY = process.env.CARD_FINGERPRINT_KEY || DEV_CARD_FINGERPRINT_KEY;
  }
  if (app === 'webhook-dispatcher') {
    // Lets a developer point webhooks at a local http://127.0.0.1 receiver.
    own.WEBHOOK_ALLOW_LOOPBACK = 'true';
    own.WEBHOOK_ALLOW_HTTP = 'true';
  }
  return { ...env, ...own };
}

function startService(app, env, previous) {
  const logFile = path.join(logDir, `${app}.log`);
  const fd = fs.openSync(logFile, 'a');
  const from = fs.fstatSync(fd).size;
  const heading = previous ? `restart ${previous.restarts + 1}` : 'npm start';
  fs.writeSync(fd, `\n──── ${heading} ${new Date().toISOString()} ────\n`);
  const child = spawnService(app, env, fd);
  const service = {
    app,
    env,
    child,
    detached: true,
    logFile,
    startedAt: Date.now(),
    crashes: previous?.crashes ?? 0,
    restarts: previous ? previous.restarts + 1 : 0,
    restartTimer: undefined,
    tail: (lines = 40) => indent(tail(logFile, lines, from)),
  };
  service.exited = new Promise((resolve) => child.once('close', resolve));
  child.once('error', (error) => {
    log.fail(`${app}: ${error.message}`);
  });
  child.once('exit', (code, signal) => {
    if (!stopping) onCrash(service, signal ?? `code ${code}`);
  });
  services.set(app, service);
  return service;
}

/** A service exited on its own: start it again after a pause, unless it cannot start at all. */
function onCrash(service, reason) {
  const { app, logFile } = service;
  const uptime = Date.now() - service.startedAt;
  const crashes = uptime >= STABLE_AFTER_MS ? 1 : service.crashes + 1;
  if (!stackReady && crashes >= CRASHES_BEFORE_READY) {
    log.fail(
      `${app} exited (${reason}) ${crashes} times while starting; last lines of ${relative(logFile)}:`,
    );
    log.info(service.tail());
    void stop(1);
    return;
  }
  const delay = /** @type {number} */ (
    RESTART_DELAYS_MS[Math.min(crashes, RESTART_DELAYS_MS.length) - 1]
  );
  log.warn(
    `${app} exited (${reason}) after ${formatDuration(uptime)}; restarting in ${delay / 1000} s. Last lines of ${relative(logFile)}:`,
  );
  log.info(service.tail(10));
  service.crashes = crashes;
  service.restartTimer = setTimeout(() => {
    if (stopping) return;
    const restarted = startService(app, service.env, service);
    void announceWhenReady(restarted);
  }, delay);
}

async function announceWhenReady(service) {
  const { app, child } = service;
  while (!stopping && child.exitCode === null && child.signalCode === null) {
    if (await isServiceReady(ADMIN_PORTS[app])) {
      log.ok(`${app} is back (pid ${child.pid})`);
      return;
    }
    await sleep(500);
  }
}

const formatDuration = (ms) =>
  ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;

async function waitUntilReady() {
  const pending = new Set(APPS);
  const startedAt = Date.now();
  let reportedAt = startedAt;
  for (;;) {
    const ready = await Promise.all(
      [...pending].map(
        async (app) => /** @type {const} */ ([app, await isServiceReady(ADMIN_PORTS[app])]),
      ),
    );
    for (const [app, ok] of ready) if (ok) pending.delete(app);
    guard();
    if (pending.size === 0) return;
    const elapsed = Date.now() - startedAt;
    if (elapsed > READY_TIMEOUT_MS) {
      for (const app of pending) {
        log.fail(`${app} is not ready; last lines of ${relative(services.get(app).logFile)}:`);
        log.info(services.get(app).tail());
      }
      throw new StepError(
        `not ready after ${READY_TIMEOUT_MS / 1000} s: ${[...pending].join(', ')}`,
      );
    }
    if (Date.now() - reportedAt >= 5000) {
      log.info(`  … waiting for ${[...pending].join(', ')} (${Math.round(elapsed / 1000)} s)`);
      reportedAt = Date.now();
    }
    await sleep(500);
  }
}

async function developmentMerchant(env) {
  const saved = readMerchant();
  if (saved) {
    const response = await fetch(`${GATEWAY_URL}/v2/customers?limit=1`, {
      headers: { authorization: `Bearer ${saved.api_key}` },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    await response?.arrayBuffer().catch(() => undefined);
    if (response?.status === 200) {
      log.ok(`development merchant ${saved.merchant_id} (from ${relative(merchantFile)})`);
      return saved;
    }
    log.step(`the saved development key was refused (${response?.status ?? 'no answer'});`);
  }
  log.step('creating the development merchant…');
  const cli = ['apps/gateway/dist/merchants.cli.js', 'create', 'Development', '--json'];
  const result = await run(process.execPath, cli, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => parseMerchant(l) !== undefined);
  if (result.code !== 0 || line === undefined) {
    log.info(indent(`${result.stderr}${result.stdout}`.trimEnd()));
    throw new StepError(`\`node ${cli.join(' ')}\` did not print {"merchant_id","api_key"}`);
  }
  fs.writeFileSync(merchantFile, `${line}\n`);
  const merchant = parseMerchant(line);
  log.ok(`development merchant ${merchant.merchant_id} (saved in ${relative(merchantFile)})`);
  return merchant;
}

function readMerchant() {
  try {
    return parseMerchant(fs.readFileSync(merchantFile, 'utf8').trim());
  } catch {
    return undefined;
  }
}

function parseMerchant(text) {
  try {
    const value = JSON.parse(text);
    return typeof value?.merchant_id === 'string' && typeof value?.api_key === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a one-shot command with its output in .cache/logs/<name>.log, shown only on failure. */
async function runLogged(what, name, args, env) {
  const logFile = path.join(logDir, `${name}.log`);
  const result = await run(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.writeFileSync(logFile, `${result.stdout}${result.stderr}`);
  if (result.code !== 0) {
    log.info(indent(tail(logFile)));
    throw new StepError(`${what} failed (\`node ${args.join(' ')}\`); see ${relative(logFile)}`);
  }
}

function printSummary({ merchant_id: merchantId, api_key: apiKey }) {
  const b = (text) => log.paint('1', text);
  log.info(`
${log.paint('32', '✓ FinFusion is running')}

  Gateway       ${b(GATEWAY_URL)}
  API docs      ${GATEWAY_URL}/docs   (OpenAPI: ${GATEWAY_URL}/openapi.json)
  Merchant      ${merchantId}
  API key       ${b(apiKey)}
  Logs          ${relative(logDir)}/{${APPS.join(',')}}.log
  Processes     ${APPS.map((app) => `${app} ${services.get(app).child.pid}`).join(' · ')}
  Health        ${APPS.map((app) => `${app} http://127.0.0.1:${ADMIN_PORTS[app]}/health/ready`).join('\n                ')}
  Metrics       http://127.0.0.1:{${APPS.map((app) => ADMIN_PORTS[app]).join(',')}}/metrics

  Create a customer:

    curl -X POST ${GATEWAY_URL}/v2/customers \\
      -H "Authorization: Bearer ${apiKey}" \\
      -H "Content-Type: application/json" \\
      -H "Idempotency-Key: readme-$RANDOM" \\
      -d '{"email": "jane@example.com", "name": "Jane Doe", "metadata": {"source": "readme"}}'

A service that exits is started again; press Ctrl-C to stop everything.`);
}

const indent = (text) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

/** Stops everything this run started, in order, then exits. Safe to call more than once. */
function stop(code) {
  stopping ??= (async () => {
    // One-shot tools first (npm ci, turbo, a broker still starting, a CLI).
    for (const record of activeChildren) signalChild(record, 'SIGTERM');
    await waitFor(() => activeChildren.size === 0, STOP_TIMEOUT_MS);
    for (const record of activeChildren) signalChild(record, 'SIGKILL');

    for (const service of services.values()) clearTimeout(service.restartTimer);
    const running = [...services.values()].filter((s) => s.child.exitCode === null);
    if (running.length > 0) {
      log.step(`stopping ${running.map((s) => s.app).join(', ')}…`);
      for (const service of running) signalChild(service, 'SIGTERM');
      const exited = Promise.all(running.map((s) => s.exited));
      const inTime = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS)]);
      if (!inTime) {
        const late = running.filter((s) => s.child.exitCode === null && !s.child.signalCode);
        log.warn(
          `still running after ${STOP_TIMEOUT_MS / 1000} s, killing: ${late.map((s) => s.app).join(',')}`,
        );
      }
      // SIGKILL the whole group even after a clean exit: nothing a service spawned may outlive it.
      for (const service of running) {
        try {
          process.kill(-service.child.pid, 'SIGKILL');
        } catch {
          // group already empty
        }
      }
      await exited;
      log.ok('services stopped');
    }

    await stopLocalBroker(broker, log).catch((error) => {
      log.fail(error.message);
    });
    process.exit(code);
  })();
  return stopping;
}

async function waitFor(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await sleep(100);
}

main().catch(async (error) => {
  if (stopping) return; // interrupted: stop() is already on its way
  log.fail(error instanceof StepError ? error.message : (error?.stack ?? String(error)));
  await stop(1);
});
