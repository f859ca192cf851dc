// `npm test`, and CI (.ci/run): the one command that checks everything.
//
// Steps: install dependencies if needed, prettier --check, turbo typecheck + build, the type check
// of these scripts (infra/tsconfig.json), eslint (zero warnings; it reads the libs' built types)
// and the test of its import boundaries, a test broker on 127.0.0.1:19092, a fresh
// `finfusion_test` database, then every jest tier (unit, int, e2e; the e2e global setup starts
// the built services on ports 13000-13003).
// The very last line of output is `N passed, M failed[, K skipped]`.
//
//   npm test                                  everything
//   npm test -- --skip-checks                 skip format, lint and typecheck (still builds: the
//                                             e2e tier runs the built services); SKIP_CHECKS=1 too
//   npm test -- --selectProjects unit         any other argument goes to jest
//   npm test -- --skip-checks -t 'refuses'    both
//
// Environment: DATABASE_URL names the Postgres server (its database is replaced by
// finfusion_test, dropped and recreated each run); TEST_KAFKA_BROKERS uses existing brokers
// instead of starting one on 19092. Two checkouts can test at once when one of them moves
// everything with TEST_DATABASE, TEST_KAFKA_PORT and TEST_PORT_BASE (services on BASE..BASE+3).
// Works without a terminal (CI=true, no stdin).
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_DATABASE_URL,
  StepError,
  activeChildren,
  brokerHandle,
  createLog,
  ensureDependencies,
  isBrokerReachable,
  isTruthy,
  killLeftoverTestServices,
  recreateDatabase,
  redactUrl,
  relative,
  root,
  run,
  signalChild,
  signalNumber,
  startLocalBroker,
  stopLocalBroker,
  turboBuild,
  withDatabase,
} from './common.mjs';

const TEST_DATABASE = process.env.TEST_DATABASE || 'finfusion_test';
const TEST_KAFKA_PORT = Number(process.env.TEST_KAFKA_PORT || 19092);
const TEST_PORT_BASE = Number(process.env.TEST_PORT_BASE || 13000);
// A run on moved ports writes its own, so two runs of one checkout never read each other's.
const resultsFile = path.join(
  root,
  '.cache',
  TEST_PORT_BASE === 13000 ? 'jest-results.json' : `jest-results-${TEST_PORT_BASE}.json`,
);

// Proves that the import boundaries of the lint step still report what they forbid.
/** @type {[string, ...string[]]} */
const architectureTest = [
  'node',
  '--test',
  '--test-reporter=spec',
  'infra/dev/architecture.test.mjs',
];

const args = process.argv.slice(2);
const skipChecks = args.includes('--skip-checks') || isTruthy(process.env.SKIP_CHECKS);
const jestArgs = args.filter((arg) => arg !== '--skip-checks');

const log = createLog();
let broker;
let interrupted;

// Ctrl-C reaches jest and the services it started directly (same process group) and they stop
// themselves; a signal sent to this script alone is passed on. Either way the broker is stopped
// below once jest has exited.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    log.warn(`${signal} received: stopping…`);
    for (const record of activeChildren) signalChild(record, 'SIGTERM');
  });
}

async function main() {
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  await ensureDependencies(log);
  checkInterrupted();

  if (skipChecks) {
    log.warn('--skip-checks: format, lint and typecheck skipped');
    await turboBuild(log);
  } else {
    await check('format', ['npx', 'prettier', '--check', '.'], 'run `npm run format` to fix');
    // Lint reads the libs' types from their build output (dist), so it comes after the build.
    await turboBuild(log, { tasks: ['typecheck', 'build'] });
    await check(
      'infra typecheck',
      ['npx', 'tsc', '-p', 'infra/tsconfig.json'],
      'see the errors above',
    );
    await check('lint', ['npx', 'eslint', '.', '--max-warnings', '0'], 'see the problems above');
    await check('architecture', architectureTest, 'an import boundary no longer reports');
  }
  checkInterrupted();

  let brokers = process.env.TEST_KAFKA_BROKERS;
  if (brokers) {
    if (!(await isBrokerReachable(brokers))) {
      throw new StepError(`TEST_KAFKA_BROKERS=${brokers} does not accept connections.`);
    }
    log.ok(`Kafka: using TEST_KAFKA_BROKERS=${brokers}`);
  } else {
    broker = brokerHandle(TEST_KAFKA_PORT);
    await startLocalBroker(broker, log);
    brokers = `127.0.0.1:${TEST_KAFKA_PORT}`;
  }
  checkInterrupted();

  const databaseUrl = withDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, TEST_DATABASE);
  log.step(`recreating database ${TEST_DATABASE} (${redactUrl(databaseUrl)})…`);
  await recreateDatabase(databaseUrl);
  log.ok(`database ${TEST_DATABASE} is empty`);
  checkInterrupted();

  fs.rmSync(resultsFile, { force: true });
  log.step(`jest ${jestArgs.join(' ')}`.trimEnd());
  const jest = await run(
    'npx',
    ['jest', '--ci', '--json', `--outputFile=${resultsFile}`, ...jestArgs],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: brokers,
        TEST_PORT_BASE: String(TEST_PORT_BASE),
        GATEWAY_URL: `http://127.0.0.1:${TEST_PORT_BASE}`,
        PAYMENTS_URL: `http://127.0.0.1:${TEST_PORT_BASE + 1}`,
        CUSTOMERS_URL: `http://127.0.0.1:${TEST_PORT_BASE + 2}`,
        WEBHOOK_DISPATCHER_URL: `http://127.0.0.1:${TEST_PORT_BASE + 3}`,
      },
    },
  );
  await cleanUp();
  checkInterrupted();

  // Printed after the broker has stopped, so that it is the last line of the output.
  const summary = readSummary();
  if (summary.note) log.fail(summary.note);
  process.stdout.write(`${summary.line}\n`);
  return jest.code !== 0 || summary.failed > 0 ? Math.max(jest.code, 1) : 0;
}

/**
 * Runs one check, failing the run with `hint` when it fails.
 *
 * @param {string} name
 * @param {[string, ...string[]]} commandLine
 * @param {string} hint
 */
async function check(name, [command, ...commandArgs], hint) {
  log.step(`${name}: ${command} ${commandArgs.join(' ')}`);
  const result = await run(command, commandArgs, {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  checkInterrupted();
  if (result.code !== 0) throw new StepError(`${name} check failed: ${hint}`);
  log.ok(`${name} check passed`);
}

/**
 * Counts from jest's JSON. A suite that fails to run (a compile error, a failing beforeAll hook
 * outside any test, a crashed global setup) reports no failed test, so each one is counted as a
 * failure: the line never reads "0 failed" on a red run.
 */
function readSummary() {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    return {
      failed: 1,
      note: `jest wrote no results to ${relative(resultsFile)} (see its output above)`,
      line: '0 passed, 1 failed',
    };
  }
  const passed = results.numPassedTests ?? 0;
  const broken = results.numRuntimeErrorTestSuites ?? 0;
  const failed = (results.numFailedTests ?? 0) + broken;
  const skipped = results.numPendingTests ?? 0;
  return {
    failed,
    note: broken > 0 ? `${broken} test suite(s) failed to run (see above)` : undefined,
    line: `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
  };
}

async function cleanUp() {
  await killLeftoverTestServices(log).catch((error) => {
    log.fail(error.message);
  });
  await stopLocalBroker(broker, log).catch((error) => {
    log.fail(error.message);
  });
}

function checkInterrupted() {
  if (interrupted) throw new StepError(`interrupted by ${interrupted}`);
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    log.fail(error instanceof StepError ? error.message : (error?.stack ?? String(error)));
    // Whatever failed, nothing this run started may outlive it.
    for (const record of activeChildren) signalChild(record, 'SIGTERM');
    await cleanUp();
    process.exit(interrupted ? 128 + signalNumber(interrupted) : 1);
  },
);
