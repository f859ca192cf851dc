// Helpers shared by start.mjs, test.mjs and run-cli.mjs. Node built-ins only at the top: these
// scripts run on a fresh clone before node_modules exists; `pg` is imported once deps are in.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The four services, in the order they are started and reported. */
export const APPS = ['gateway', 'payments', 'customers', 'webhook-dispatcher'];

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/finfusion';

// A fixed, non-secret key so card fingerprints are stable across local restarts. Never used in
// production: deployments set CARD_FINGERPRINT_KEY from a secret.
export const DEV_CARD_FINGERPRINT_KEY =
  '6465762d6f6e6c792d636172642d66696e6765727072696e742d6b65792d3031';

/** @type {(ms: number) => Promise<void>} */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {(value: string | undefined) => boolean} */
export const isTruthy = (value) =>
  value !== undefined && value !== '' && !['0', 'false', 'no'].includes(value.toLowerCase());

// ── output ──────────────────────────────────────────────────────────────────────────────────

/**
 * Step, success, warning and failure lines, coloured on a terminal.
 *
 * @param {NodeJS.WriteStream} [stream]
 */
export function createLog(stream = process.stdout) {
  const color = stream.isTTY && !('NO_COLOR' in process.env);
  /** @type {(code: string, text: string) => string} */
  const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  /** @param {string} line */
  const write = (line) => {
    stream.write(`${line}\n`);
  };
  return {
    stream,
    paint,
    /** @param {string} msg */
    step: (msg) => {
      write(`${paint('36', '▸')} ${msg}`);
    },
    /** @param {string} msg */
    ok: (msg) => {
      write(`${paint('32', '✓')} ${msg}`);
    },
    /** @param {string} msg */
    warn: (msg) => {
      write(`${paint('33', '!')} ${msg}`);
    },
    /** @param {string} msg */
    fail: (msg) => {
      write(`${paint('31', '✗')} ${msg}`);
    },
    /** @param {string} msg */
    info: (msg) => {
      write(msg);
    },
  };
}

/** @typedef {ReturnType<typeof createLog>} Log */

/**
 * The last lines of a file, from byte `from` on (to show only what this run wrote).
 *
 * @param {string} file
 */
export function tail(file, lines = 40, from = 0) {
  try {
    const text = fs.readFileSync(file).subarray(from).toString('utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** @type {(file: string) => string} */
export const relative = (file) => path.relative(process.cwd(), file) || '.';

// ── child processes ─────────────────────────────────────────────────────────────────────────

/**
 * @typedef {import('node:child_process').ChildProcess} ChildProcess
 * @typedef {import('node:child_process').StdioOptions} StdioOptions
 * @typedef {'inherit' | 'ignore' | 'pipe' | number} StdioStream how a child's output stream is wired
 * @typedef {{ child: ChildProcess, detached: boolean }} ChildRecord
 * @typedef {{ code: number, signal: NodeJS.Signals | null, stdout: string, stderr: string }} RunResult
 * @typedef {{ env?: NodeJS.ProcessEnv, stdio?: StdioOptions, detached?: boolean }} RunOptions
 */

/** Children still running, so a signal handler can end them. @type {Set<ChildRecord>} */
export const activeChildren = new Set();

/**
 * Spawns a command in the repository and resolves with its exit (never rejects on a non-zero
 * code). `detached` puts the child in its own process group, out of reach of the terminal's
 * Ctrl-C, so the caller decides when and in which order it stops.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export function run(
  command,
  args,
  { env = process.env, stdio = 'inherit', detached = false } = {},
) {
  const child = spawn(command, args, { cwd: root, env, stdio, detached });
  const record = { child, detached };
  activeChildren.add(record);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      activeChildren.delete(record);
      reject(new Error(`could not run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      activeChildren.delete(record);
      resolve({ code: code ?? (signal ? 128 + signalNumber(signal) : 1), signal, stdout, stderr });
    });
  });
}

/**
 * {@link run}, throwing a {@link StepError} that names `what` when the command fails.
 *
 * @param {string} what
 * @param {string} command
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 */
export async function runOrThrow(what, command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const how = result.signal ? `was stopped by ${result.signal}` : `exited with ${result.code}`;
    throw new StepError(`${what} failed: \`${[command, ...args].join(' ')}\` ${how}`);
  }
  return result;
}

/** An expected failure: its message is the whole story, no stack trace needed. */
export class StepError extends Error {}

/**
 * The `code` of a Node.js or driver error (`ECONNREFUSED`, `42P04`…), if it has one.
 *
 * @param {unknown} error
 * @returns {string | undefined}
 */
export function errorCode(error) {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** @param {unknown} error */
export const errorMessage = (error) => (error instanceof Error ? error.message : String(error));

/** @param {string} signal */
export function signalNumber(signal) {
  /** @type {Record<string, number>} */
  const numbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 1;
}

/**
 * Sends a signal to a child, or to its whole process group when it was spawned detached.
 *
 * @param {ChildRecord} record
 * @param {NodeJS.Signals} signal
 */
export function signalChild({ child, detached }, signal) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(detached ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
}

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  // A zombie still answers kill(0); it is dead for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

// ── dependencies and build ─────────────────────────────────────────────────────────────────

/**
 * `npm ci` when node_modules is missing or older than package-lock.json.
 *
 * @param {Log} log
 * @param {{ stdio?: StdioStream, quiet?: boolean }} [options]
 */
export async function ensureDependencies(log, { stdio = 'inherit', quiet = false } = {}) {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const stale =
    !fs.existsSync(installed) || fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs;
  if (!stale) {
    if (!quiet) log.ok('dependencies are up to date');
    return;
  }
  log.step('installing dependencies (npm ci)…');
  await runOrThrow('npm ci', 'npm', ['ci', '--no-audit', '--no-fund'], {
    stdio: ['ignore', stdio, stdio],
  });
  log.ok('dependencies installed');
}

/**
 * `turbo run <tasks>`. Quiet mode keeps turbo's own chatter off the screen and shows it only
 * when the build fails.
 *
 * @param {Log} log
 * @param {{ tasks?: string[], quiet?: boolean }} [options]
 */
export async function turboBuild(log, { tasks = ['build'], quiet = false } = {}) {
  const what = tasks.join(' + ');
  log.step(`${what} (turbo)…`);
  const args = ['turbo', 'run', ...tasks, '--output-logs=errors-only'];
  const result = await run('npx', args, {
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  if (result.code !== 0) {
    if (quiet) log.stream.write(`${result.stdout}${result.stderr}`);
    throw new StepError(`${what} failed (\`npx ${args.join(' ')}\`)`);
  }
  log.ok(`${what} done`);
}

// ── Postgres ────────────────────────────────────────────────────────────────────────────────

export const databaseName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));

export function withDatabase(url, name) {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(name)}`;
  return next.toString();
}

/** The URL without its password, for printing. */
export function redactUrl(url) {
  const copy = new URL(url);
  if (copy.password) copy.password = '***';
  return copy.toString();
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/** Runs `fn(client)` connected to the `postgres` maintenance database of the URL's server. */
export async function withAdminClient(databaseUrl, fn) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: withDatabase(databaseUrl, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    const where = new URL(databaseUrl);
    throw new StepError(
      `Postgres is not reachable at ${where.hostname}:${where.port || 5432} ` +
        `(${errorCode(error) ?? errorMessage(error)}). Start Postgres, or point DATABASE_URL at one ` +
        `(e.g. postgres://postgres@127.0.0.1:5432/finfusion).`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `<database>_<app>` made a Postgres role name: lower case, a-z 0-9 _, at most 63 characters. */
export const serviceRoleName = (databaseUrl, app) =>
  `${databaseName(databaseUrl)}_${app}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^(?=[0-9])/, '_')
    .slice(0, 63);

/** The same server, database and password, logged in as `role`. */
export function connectionAs(databaseUrl, role) {
  const url = new URL(databaseUrl);
  url.username = role;
  return url.toString();
}

/**
 * Creates each login role (with the URL's password, if it has one) unless it exists. Returns
 * false, creating nothing, when the URL's user may not create roles.
 */
export function ensureLoginRoles(databaseUrl, roles) {
  const password = decodeURIComponent(new URL(databaseUrl).password);
  const login = password === '' ? 'LOGIN' : `LOGIN PASSWORD '${password.replaceAll("'", "''")}'`;
  return withAdminClient(databaseUrl, async (client) => {
    try {
      for (const role of roles) {
        await client.query(
          `DO $$ BEGIN CREATE ROLE ${quoteIdent(role)} ${login};
           EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
        );
      }
      return true;
    } catch (error) {
      if (errorCode(error) === '42501') return false; // insufficient_privilege
      throw error;
    }
  });
}

/** Creates the URL's database unless it exists; returns true when it was created. */
export function ensureDatabase(databaseUrl) {
  const name = databaseName(databaseUrl);
  return withAdminClient(databaseUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount > 0) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return true;
    } catch (error) {
      if (errorCode(error) === '42P04') return false; // created concurrently
      throw error;
    }
  });
}

export function recreateDatabase(databaseUrl) {
  const name = databaseName(databaseUrl);
  return withAdminClient(databaseUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
}

// ── network and Kafka ───────────────────────────────────────────────────────────────────────

export function isPortOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => {
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

/** Resolves true when the first broker of a comma-separated list accepts TCP connections. */
export function isBrokerReachable(brokers) {
  const first = brokers.split(',')[0].trim();
  const at = first.lastIndexOf(':');
  return isPortOpen(Number(first.slice(at + 1)), first.slice(0, at).replace(/^\[|\]$/g, ''), 3000);
}

const kafkaScript = path.join('infra', 'kafka', 'kafka.sh');

/**
 * Starts the local broker on `handle.port` unless one already answers there, and records in
 * `handle.startedByUs` whether stopping it is this run's job. The caller holds the handle before
 * the start begins, so an interrupted start is stopped too. The broker runs in its own process
 * group (detached): a Ctrl-C reaches only the script, which stops the broker last.
 */
/** @typedef {{ port: number, startedByUs: boolean }} BrokerHandle */
/** @type {(port: number) => BrokerHandle} */
export const brokerHandle = (port) => ({ port, startedByUs: false });

/**
 * @param {BrokerHandle} handle
 * @param {Log} log
 * @param {{ stdio?: StdioStream }} [options]
 */
export async function startLocalBroker(handle, log, { stdio = 'inherit' } = {}) {
  const { port } = handle;
  const env = { ...process.env, KAFKA_PORT: String(port) };
  const status = await run('bash', [kafkaScript, 'status'], { env, stdio: 'ignore' });
  if (status.code === 0 || (await isPortOpen(port))) {
    log.ok(`Kafka: using the broker already running on 127.0.0.1:${port}`);
    return;
  }
  log.step(`starting Kafka on 127.0.0.1:${port} (first run downloads it from Maven Central)…`);
  handle.startedByUs = true; // set before starting: an interrupted start must still be stopped
  await runOrThrow('starting Kafka', 'bash', [kafkaScript, 'start'], {
    env,
    stdio: ['ignore', stdio, stdio],
    detached: true,
  });
  log.ok(`Kafka is up on 127.0.0.1:${port}`);
}

/**
 * @param {BrokerHandle | undefined} handle
 * @param {Log} log
 * @param {{ stdio?: StdioStream }} [options]
 */
export async function stopLocalBroker(handle, log, { stdio = 'inherit' } = {}) {
  if (!handle?.startedByUs) return;
  handle.startedByUs = false;
  log.step(`stopping Kafka on 127.0.0.1:${handle.port}…`);
  await run('bash', [kafkaScript, 'stop'], {
    env: { ...process.env, KAFKA_PORT: String(handle.port) },
    stdio: ['ignore', stdio, stdio],
    detached: true,
  });
}

// ── test stack leftovers ───────────────────────────────────────────────────────────────────

/**
 * Ends e2e services a test run left behind (jest killed before its global teardown, or a
 * service a test restarted). libs/testing writes `.cache/test-logs/<app>.pid`
 * (`test-logs-<base>` for a run on moved ports); a pid is only
 * signalled when its command line is still that app's main.js, so a recycled pid is safe.
 */
export async function killLeftoverTestServices(log) {
  // As libs/testing names it: a run on moved ports (TEST_PORT_BASE) has a folder of its own.
  const base = Number(process.env.TEST_PORT_BASE || 13000);
  const dir = path.join(root, '.cache', base === 13000 ? 'test-logs' : `test-logs-${base}`);
  const pids = [];
  for (const app of APPS) {
    const pidFile = path.join(dir, `${app}.pid`);
    let pid;
    try {
      pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    } catch {
      continue;
    }
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isServiceProcess(pid, app)) {
      log.warn(`stopping leftover test service ${app} (pid ${pid})`);
      process.kill(pid, 'SIGTERM');
      pids.push(pid);
    }
    fs.rmSync(pidFile, { force: true });
  }
  const deadline = Date.now() + 8000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
}

export function isServiceProcess(pid, app) {
  let cmdline;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    try {
      cmdline = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return false;
    }
  }
  return cmdline.includes(serviceEntry(app));
}

/** The built entry point of `app`, relative to the repository root. */
const serviceEntry = (app) => path.join('apps', app, 'dist', 'main.js');

/**
 * Starts the built service `app` in a process group of its own (so that it and whatever it
 * starts can be signalled together), writing its output to the open file `fd`, which is closed
 * here once the child holds it.
 */
export function spawnService(app, env, fd, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, serviceEntry(app)], {
    cwd: root,
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  return child;
}

/** True when the service whose admin port is `port` answers 200 on /health/ready within 2 s. */
export async function isServiceReady(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(2000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
