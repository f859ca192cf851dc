// Jest global setup of the e2e project: starts the four built services against the test
// database and broker, on ports 13000-13003 (admin ports, health and metrics, 13010-13013), and
// waits until each one is ready. As in production, each app's migrate command runs first, as the
// schemas' owner (the test database's user), granting the app's own role its rights; then each
// service runs as that role, without migrating, so every e2e test proves the grants are enough.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  childProcessEnv,
  repoRoot,
  serviceNames,
  testEnv,
  testAdminPorts,
  testLogDir,
  testPorts,
  TEST_PERSONAL_DATA_KEYS,
  TEST_REQUEST_SIGNING_KEYS,
  urlVariables,
  type ServiceName,
} from './env';
import { connectionAs, ensureLoginRoles, serviceRoleOf } from './roles';
import { OTLP_RECEIVER_URL_VARIABLE, startOtlpReceiver, type OtlpReceiver } from './otlp-receiver';
import {
  removeSpec,
  spawnService,
  stopService,
  waitForReady,
  writeSpec,
  type ServiceSpec,
} from './services';

const READY_TIMEOUT_MS = 120_000;

// A fixed, non-secret key: fingerprints in tests only need to be stable within a run.
const TEST_CARD_FINGERPRINT_KEY =
  '746573742d6f6e6c792d636172642d66696e6765727072696e742d6b65793031';

/** The run's OTLP receiver, for the global teardown to close. */
export const otlpReceiverGlobal = Symbol.for('finfusion.e2e.otlpReceiver');

/**
 * What each service gets on top of the inherited environment. With `otlpUrl` the services export
 * their spans there (JSON, in batches every 200 ms), so e2e tests can follow traces.
 */
export function stackEnv(app: ServiceName, otlpUrl?: string): Record<string, string> {
  const common = {
    DATABASE_URL: connectionAs(serviceRoleOf(app)),
    MIGRATIONS_RUN: 'false',
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    HOST: '127.0.0.1',
    PORT: String(testPorts[app]),
    ADMIN_PORT: String(testAdminPorts[app]),
    LOG_LEVEL: 'debug',
    REQUEST_SIGNING_KEYS: TEST_REQUEST_SIGNING_KEYS,
    ...(otlpUrl !== undefined && {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    }),
  };
  switch (app) {
    case 'gateway':
      return {
        ...common,
        RATE_LIMIT_REQUESTS: '40',
        RATE_LIMIT_WINDOW_MS: '1000',
        REQUEST_TIMEOUT_MS: '5000',
      };
    case 'payments':
      return {
        ...common,
        CARD_FINGERPRINT_KEY: process.env.CARD_FINGERPRINT_KEY ?? TEST_CARD_FINGERPRINT_KEY,
        // Authorizations expire 20 s after they are given, and are canceled within a second:
        // an e2e test sees an automatic cancellation without waiting for days.
        AUTHORIZATION_CAPTURE_WINDOW_MS: '20000',
        AUTHORIZATION_EXPIRY_INTERVAL_MS: '1000',
      };
    case 'customers':
      return { ...common, PERSONAL_DATA_KEYS: TEST_PERSONAL_DATA_KEYS };
    case 'webhook-dispatcher':
      return {
        ...common,
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        WEBHOOK_ALLOW_HTTP: 'true',
        // Compressed from minutes to milliseconds, so retry tests finish in seconds.
        WEBHOOK_RETRY_SCHEDULE: '0,200,400,800,1600',
        // A slow receiver times out in 2 s; a killed dispatcher's leases run out 3 s after claim.
        WEBHOOK_TIMEOUT_MS: '2000',
        WEBHOOK_LEASE_MS: '3000',
        WEBHOOK_POLL_MS: '200',
      };
    default: {
      const unknown: never = app;
      throw new Error(`no environment for ${String(unknown)}`);
    }
  }
}

export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  fs.mkdirSync(testLogDir, { recursive: true });
  // A run that was killed before its teardown may have left services behind.
  await Promise.all(serviceNames.map((app) => stopService(app)));

  for (const app of serviceNames) {
    const main = path.join(repoRoot, 'apps', app, 'dist', 'main.js');
    if (!fs.existsSync(main)) {
      throw new Error(
        `${path.relative(repoRoot, main)} is missing: build first (\`npx turbo run build\`; npm test does)`,
      );
    }
    for (const port of [testPorts[app], testAdminPorts[app]]) {
      if (await isPortOpen(port)) {
        throw new Error(`port ${port} (${app}) is already in use: is another e2e run going on?`);
      }
    }
  }

  console.log(
    `\ne2e stack: starting ${serviceNames.join(', ')} on ${testEnv.kafkaBrokers.join(',')} and ` +
      `${redact(testEnv.databaseUrl)} (logs in ${path.relative(process.cwd(), testLogDir)}/)`,
  );
  await provisionTopics();
  await migrateAsOwner();
  const otlp = await startOtlpReceiver();
  (globalThis as Record<symbol, OtlpReceiver | undefined>)[otlpReceiverGlobal] = otlp;
  try {
    for (const app of serviceNames) {
      const spec: ServiceSpec = {
        app,
        command: process.execPath,
        args: [path.join('apps', app, 'dist', 'main.js')],
        env: stackEnv(app, otlp.url),
      };
      writeSpec(spec);
      spawnService(spec, { truncateLog: true });
    }
    await waitForReady(serviceNames, READY_TIMEOUT_MS, (pending, elapsed) => {
      console.log(`e2e stack: waiting for ${pending.join(', ')} (${Math.round(elapsed / 1000)} s)`);
    });
  } catch (error) {
    await Promise.all(
      serviceNames.map(async (app) => {
        await stopService(app);
        removeSpec(app);
      }),
    );
    await otlp.close();
    throw error;
  }

  // Test workers are forked after the global setup and inherit these.
  for (const app of serviceNames) {
    process.env[urlVariables[app]] = `http://127.0.0.1:${testPorts[app]}`;
  }
  process.env[OTLP_RECEIVER_URL_VARIABLE] = otlp.url;
  process.env.DATABASE_URL = testEnv.databaseUrl;
  process.env.KAFKA_BROKERS = testEnv.kafkaBrokers.join(',');
  console.log(`e2e stack: ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

/**
 * Creates every topic once before the services start, so four processes do not race to create
 * the same topics. Each service would create its own anyway; skipped when the CLI is not built.
 */
async function provisionTopics(): Promise<void> {
  const cli = path.join(repoRoot, 'libs', 'kafka', 'dist', 'provision.cli.js');
  if (!fs.existsSync(cli)) return;
  const logFile = path.join(testLogDir, 'provision.log');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli], {
      cwd: repoRoot,
      env: { ...childProcessEnv(), ...stackEnv('gateway'), LOG_LEVEL: 'info' },
      timeout: 60_000,
    });
    fs.writeFileSync(logFile, stdout + stderr);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    fs.writeFileSync(logFile, stdout + stderr);
    throw new Error(`topic provisioning failed:\n${stdout}${stderr}`);
  }
}

/**
 * Creates the services' roles (kept between runs: roles belong to the whole cluster) and runs
 * each app's migrate command as the owner, granting the app's role its rights.
 */
async function migrateAsOwner(): Promise<void> {
  await ensureLoginRoles(serviceNames.map((app) => serviceRoleOf(app)));
  const logFile = path.join(testLogDir, 'migrate.log');
  fs.writeFileSync(logFile, '');
  await Promise.all(
    serviceNames.map(async (app) => {
      const cli = path.join('apps', app, 'dist', 'migrate.cli.js');
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli], {
          cwd: repoRoot,
          env: {
            ...childProcessEnv(),
            DATABASE_URL: testEnv.databaseUrl,
            DATABASE_SERVICE_ROLE: serviceRoleOf(app),
          },
          timeout: 60_000,
        });
        fs.appendFileSync(logFile, stdout + stderr);
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        fs.appendFileSync(logFile, stdout + stderr);
        throw new Error(`node ${cli} failed:\n${stdout}${stderr}`);
      }
    }),
  );
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1000, () => {
      done(false);
    });
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}

function redact(url: string): string {
  const copy = new URL(url);
  if (copy.password !== '') copy.password = '***';
  return copy.toString();
}
