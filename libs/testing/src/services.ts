// The e2e stack's processes. The global setup (jest's main process) starts them; tests, which
// run in worker processes, stop and restart them. They meet through files in .cache/test-logs/:
//   <app>.pid   the running process's pid
//   <app>.json  how to start it again (command, arguments, the environment the setup gave it)
//   <app>.log   its stdout and stderr, truncated by the setup, appended to by restarts
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { adminUrl, childProcessEnv, repoRoot, testLogDir, type ServiceName } from './env';

export interface ServiceSpec {
  app: ServiceName;
  command: string;
  args: string[];
  /** Only what the setup sets on top of the inherited environment. */
  env: Record<string, string>;
}

export interface StopOptions {
  /** SIGKILL simulates a crash; SIGTERM (the default) a deployment. */
  signal?: NodeJS.Signals;
  timeoutMs?: number;
}

export interface StartOptions {
  /** Variables to change for this start only (e.g. a different retry schedule). */
  env?: Record<string, string>;
  /** Resolve only once /health/ready answers 200 (default true). */
  waitUntilReady?: boolean;
  timeoutMs?: number;
}

const file = (app: ServiceName, extension: string): string =>
  path.join(testLogDir, `${app}.${extension}`);

export const logFileOf = (app: ServiceName): string => file(app, 'log');

export function serviceLogs(app: ServiceName): string {
  try {
    return fs.readFileSync(logFileOf(app), 'utf8');
  } catch {
    return '';
  }
}

export function logTail(app: ServiceName, lines = 40): string {
  const text = serviceLogs(app).trimEnd();
  return text === '' ? '(empty log)' : text.split('\n').slice(-lines).join('\n');
}

export function writeSpec(spec: ServiceSpec): void {
  fs.writeFileSync(file(spec.app, 'json'), `${JSON.stringify(spec, null, 2)}\n`);
}

export function readSpec(app: ServiceName): ServiceSpec {
  let text: string;
  try {
    text = fs.readFileSync(file(app, 'json'), 'utf8');
  } catch {
    throw new Error(
      `${app} was not started by the e2e global setup (no ${path.relative(repoRoot, file(app, 'json'))}); ` +
        'service control works in *.e2e-spec.ts files only',
    );
  }
  return JSON.parse(text) as ServiceSpec;
}

export function removeSpec(app: ServiceName): void {
  fs.rmSync(file(app, 'json'), { force: true });
}

export function pidOf(app: ServiceName): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file(app, 'pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && isServiceProcess(pid, app)
    ? pid
    : undefined;
}

/** Starts the process in the background; its output goes to the log file. */
export function spawnService(
  spec: ServiceSpec,
  { truncateLog, extraEnv = {} }: { truncateLog: boolean; extraEnv?: Record<string, string> },
): number {
  fs.mkdirSync(testLogDir, { recursive: true });
  const fd = fs.openSync(logFileOf(spec.app), truncateLog ? 'w' : 'a');
  if (!truncateLog) {
    const worker = process.env.JEST_WORKER_ID ?? '?';
    fs.writeSync(
      fd,
      `\n──── started again by a test (worker ${worker}) ${new Date().toISOString()} ────\n`,
    );
  }
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: repoRoot,
      env: { ...childProcessEnv(), ...spec.env, ...extraEnv },
      stdio: ['ignore', fd, fd],
    });
    // Neither jest's main process nor a worker should wait for it: stopService ends it.
    child.unref();
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    fs.writeFileSync(file(spec.app, 'pid'), `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

export async function isReady(app: ServiceName): Promise<boolean> {
  try {
    const response = await fetch(`${adminUrl(app)}/health/ready`, {
      signal: AbortSignal.timeout(2000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Waits for /health/ready (on its admin port) of each app; fails fast, with its log, if one of them exits. */
export async function waitForReady(
  apps: readonly ServiceName[],
  timeoutMs: number,
  onWaiting?: (pending: ServiceName[], elapsedMs: number) => void,
): Promise<void> {
  const pending = new Set(apps);
  const startedAt = Date.now();
  let reportedAt = startedAt;
  for (;;) {
    const results = await Promise.all(
      [...pending].map(async (app) => [app, await isReady(app)] as const),
    );
    for (const [app, ready] of results) if (ready) pending.delete(app);
    if (pending.size === 0) return;
    for (const app of pending) {
      if (pidOf(app) === undefined) {
        throw new Error(
          `${app} exited before it was ready; last lines of its log:\n${logTail(app)}`,
        );
      }
    }
    const elapsed = Date.now() - startedAt;
    if (elapsed > timeoutMs) {
      const logs = [...pending].map((app) => `── ${app} ──\n${logTail(app)}`).join('\n');
      throw new Error(`not ready after ${timeoutMs / 1000} s: ${[...pending].join(', ')}\n${logs}`);
    }
    if (onWaiting && Date.now() - reportedAt >= 5000) {
      onWaiting([...pending], elapsed);
      reportedAt = Date.now();
    }
    await sleep(250);
  }
}

/**
 * Stops a service of the e2e stack and waits until its process is gone. Resolves at once when
 * it is not running.
 */
export async function stopService(app: ServiceName, options: StopOptions = {}): Promise<void> {
  const { signal = 'SIGTERM', timeoutMs = 10_000 } = options;
  const pid = pidOf(app);
  if (pid !== undefined) {
    kill(pid, signal);
    if (!(await exited(pid, timeoutMs))) {
      kill(pid, 'SIGKILL');
      await exited(pid, 5000);
    }
  }
  fs.rmSync(file(app, 'pid'), { force: true });
}

/** Starts a stopped service again, with the environment the global setup gave it. */
export async function startService(app: ServiceName, options: StartOptions = {}): Promise<void> {
  const { env = {}, waitUntilReady = true, timeoutMs = 60_000 } = options;
  const spec = readSpec(app);
  const running = pidOf(app);
  if (running !== undefined) throw new Error(`${app} is already running (pid ${running})`);
  spawnService(spec, { truncateLog: false, extraEnv: env });
  if (waitUntilReady) await waitForReady([app], timeoutMs);
}

export async function restartService(
  app: ServiceName,
  options: StopOptions & StartOptions = {},
): Promise<void> {
  await stopService(app, options);
  await startService(app, options);
}

/**
 * Runs `work` while the service's process is frozen (SIGSTOP), then lets it go on (SIGCONT):
 * what it was sent meanwhile waits, as behind a stalled process.
 */
export async function whileFrozen<T>(app: ServiceName, work: () => Promise<T>): Promise<T> {
  const pid = pidOf(app);
  if (pid === undefined) throw new Error(`${app} is not running`);
  process.kill(pid, 'SIGSTOP');
  try {
    return await work();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed child its parent has not reaped yet still answers kill(0): it is dead all the same.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true;
  }
}

/** Guards against a recycled pid: only a process running this app's main.js is ours. */
function isServiceProcess(pid: number, app: ServiceName): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(path.join('apps', app, 'dist', 'main.js'));
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
