import path from 'node:path';

export const serviceNames = ['gateway', 'payments', 'customers', 'webhook-dispatcher'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** The repository root, from src/ (jest) as from dist/ (built). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Test ports sit 10000 above the development ones, so both stacks can run side by side;
 * TEST_PORT_BASE moves them (two checkouts testing at once).
 */
const portBase = Number(process.env.TEST_PORT_BASE ?? 13000);

/** The services' logs and pid files; a moved stack keeps its own, so runs never touch each other's. */
export const testLogDir = path.join(
  repoRoot,
  '.cache',
  portBase === 13000 ? 'test-logs' : `test-logs-${portBase}`,
);
export const testPorts: Readonly<Record<ServiceName, number>> = {
  gateway: portBase,
  payments: portBase + 1,
  customers: portBase + 2,
  'webhook-dispatcher': portBase + 3,
};

/**
 * Each service's admin port (health and metrics), 10 above its HTTP port: a test run keeps to
 * BASE..BASE+99, so checkouts whose bases are 100 apart never meet.
 */
export const testAdminPorts: Readonly<Record<ServiceName, number>> = {
  gateway: portBase + 10,
  payments: portBase + 11,
  customers: portBase + 12,
  'webhook-dispatcher': portBase + 13,
};

/** Where a service of the e2e stack serves /health/live, /health/ready and /metrics. */
export const adminUrl = (app: ServiceName): string => `http://127.0.0.1:${testAdminPorts[app]}`;

/** The variable the global setup publishes each service's base URL in, for the test workers. */
export const urlVariables: Readonly<Record<ServiceName, string>> = {
  gateway: 'GATEWAY_URL',
  payments: 'PAYMENTS_URL',
  customers: 'CUSTOMERS_URL',
  'webhook-dispatcher': 'WEBHOOK_DISPATCHER_URL',
};

export const serviceUrl = (app: ServiceName): string =>
  process.env[urlVariables[app]] ?? `http://127.0.0.1:${testPorts[app]}`;

/**
 * The e2e stack's request signing ring: `test-2` signs, `test-1` stands for a key a rotation
 * put second, which still verifies. Fixed, so tests can sign raw requests as the gateway does.
 */
export const TEST_REQUEST_SIGNING_KEYS =
  'test-2:test-only-request-signing-key-0000000002,test-1:test-only-request-signing-key-0000000001';

/**
 * The customers service's PERSONAL_DATA_KEYS in the e2e stack: fixed and public, so a test can
 * run its republish command with the same ring.
 */
export const TEST_PERSONAL_DATA_KEYS =
  'test:746573742d6f6e6c792d706572736f6e616c2d646174612d6b65792d30303031';

/** Where the tests' Postgres, Kafka and gateway are; read when used, so a setup can change them. */
export const testEnv = {
  get databaseUrl(): string {
    return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finfusion_test';
  },
  get kafkaBrokers(): string[] {
    return (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',').map((b) => b.trim());
  },
  get gatewayUrl(): string {
    return serviceUrl('gateway');
  },
};

/**
 * The environment a child process of the tests starts from: ours, minus what jest adds for its
 * workers (a service must not believe it runs inside a test worker).
 */
export function childProcessEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.JEST_WORKER_ID;
  return env;
}
