// The bench's own stack: broker, database, the four built services, and the helper processes of
// the baselines. Everything started here is recorded, so stopAll() can end it whatever happened
// (a failed step, Ctrl-C, SIGTERM).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  APPS,
  StepError,
  activeChildren,
  brokerHandle,
  isPortOpen,
  isServiceReady,
  recreateDatabase,
  root,
  runOrThrow,
  signalChild,
  sleep,
  spawnService,
  startLocalBroker,
  stopLocalBroker,
  tail,
} from '../dev/common.mjs';

const READY_TIMEOUT_MS = 120_000;
// Services force their own exit after SHUTDOWN_TIMEOUT_MS (15 s, the gateway 25 s); SIGKILL
// only after that.
const STOP_TIMEOUT_MS = 30_000;

/** @typedef {import('../dev/common.mjs').Log} Log */

export class Stack {
  /** app -> { child, detached, logFile, exited } */
  services = new Map();
  /** forked helpers (B0 server, B1 requester and responder) */
  helpers = new Set();
  broker;

  /**
   * @param {{ log: Log, logDir: string, ports: Record<string, number>, adminOffset: number,
   *   kafkaPort: number, databaseUrl: string, logLevel: string, profileDir?: string }} options
   */
  constructor({ log, logDir, ports, adminOffset, kafkaPort, databaseUrl, logLevel, profileDir }) {
    this.log = log;
    this.logDir = logDir;
    this.ports = ports;
    this.adminOffset = adminOffset;
    this.kafkaPort = kafkaPort;
    this.databaseUrl = databaseUrl;
    this.logLevel = logLevel;
    // With a profile directory, each service writes a V8 CPU profile there when it stops.
    this.nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    this.brokers = `127.0.0.1:${kafkaPort}`;
  }

  async startBroker() {
    this.broker = brokerHandle(this.kafkaPort);
    await startLocalBroker(this.broker, this.log, { stdio: 'ignore' });
  }

  recreateDatabase() {
    return recreateDatabase(this.databaseUrl);
  }

  /**
   * The services' environment: their defaults, except the rate limit (one merchant drives all
   * the load) and loopback webhooks (the bench's receiver listens on 127.0.0.1).
   */
  /**
   * @param {string} [app]
   * @returns {NodeJS.ProcessEnv}
   */
  serviceEnv(app) {
    /** @type {NodeJS.ProcessEnv} */
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: this.databaseUrl,
      KAFKA_BROKERS: this.brokers,
      HOST: '127.0.0.1',
      LOG_LEVEL: this.logLevel,
      RATE_LIMIT_REQUESTS: '1000000000',
    };
    if (app) {
      env.PORT = String(this.ports[app]);
      env.ADMIN_PORT = String(this.adminPortOf(this.ports[app]));
    }
    if (app === 'webhook-dispatcher') {
      env.WEBHOOK_ALLOW_LOOPBACK = 'true';
      env.WEBHOOK_ALLOW_HTTP = 'true';
    }
    return env;
  }

  /**
   * The admin port (health, metrics) of the service whose HTTP port is `port`.
   * @param {number} port
   */
  adminPortOf(port) {
    return port + this.adminOffset;
  }

  async provisionTopics() {
    await runOrThrow('topic provisioning', process.execPath, ['libs/kafka/dist/provision.cli.js'], {
      env: this.serviceEnv(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  async startServices() {
    for (const app of APPS) {
      for (const port of [this.ports[app], this.adminPortOf(this.ports[app])]) {
        if (await isPortOpen(port)) {
          throw new StepError(
            `port ${port} (${app}) is in use: is another bench running? ` +
              'Set BENCH_PORT_BASE to move this one.',
          );
        }
      }
    }
    for (const app of APPS) {
      const logFile = path.join(this.logDir, `${app}-${this.logLevel}.log`);
      const fd = fs.openSync(logFile, 'w');
      const child = spawnService(app, this.serviceEnv(app), fd, this.nodeArgs);
      const service = { app, child, detached: true, logFile };
      service.exited = new Promise((resolve) => child.once('close', resolve));
      this.services.set(app, service);
    }
    await this.waitUntilReady();
  }

  async waitUntilReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const pending = new Set(APPS);
    while (pending.size > 0) {
      for (const app of [...pending]) {
        const service = this.services.get(app);
        if (service.child.exitCode !== null || service.child.signalCode !== null) {
          throw new StepError(`${app} exited:\n${tail(service.logFile, 30)}`);
        }
        if (await isServiceReady(this.adminPortOf(this.ports[app]))) pending.delete(app);
      }
      if (pending.size === 0) return;
      if (Date.now() > deadline) {
        throw new StepError(
          `not ready after ${READY_TIMEOUT_MS / 1000} s: ${[...pending].join(',')}`,
        );
      }
      await sleep(500);
    }
  }

  /** Throws if a service has died since it started: its figures would be meaningless. */
  assertServicesRunning() {
    for (const service of this.services.values()) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) {
        throw new StepError(`${service.app} exited:\n${tail(service.logFile, 30)}`);
      }
    }
  }

  servicePid(app) {
    return this.services.get(app)?.child.pid;
  }

  async createMerchant() {
    const { stdout } = await runOrThrow(
      'creating the benchmark merchant',
      process.execPath,
      ['apps/gateway/dist/merchants.cli.js', 'create', 'Benchmark', '--json'],
      { env: this.serviceEnv(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '');
  }

  /**
   * Forks a helper script of infra/bench with an IPC channel; resolves once it sends
   * {ready: …}, rejects if it reports {error} or exits first.
   */
  async fork(name, script, args, env) {
    const logFile = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(logFile, 'w');
    const child = fork(path.join(root, 'infra', 'bench', script), args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    fs.closeSync(fd);
    const helper = { name, child, detached: false, logFile };
    helper.exited = new Promise((resolve) => child.once('exit', resolve));
    this.helpers.add(helper);
    helper.exited.then(() => this.helpers.delete(helper));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new StepError(`${name} not ready after 90 s`));
      }, 90_000);
      child.on('message', (/** @type {{ ready?: unknown, error?: string }} */ message) => {
        if (message.ready) {
          clearTimeout(timer);
          resolve(undefined);
        }
        if (message.error) {
          clearTimeout(timer);
          reject(new StepError(`${name} failed: ${message.error}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new StepError(`${name} exited (${code}) before it was ready:\n${tail(logFile)}`));
      });
    });
    return helper;
  }

  /** Asks a helper for one result: sends `message`, resolves with its next {result}. */
  ask(helper, message) {
    return new Promise((resolve, reject) => {
      const onMessage = (reply) => {
        if (reply.result || reply.error) {
          helper.child.off('message', onMessage);
          helper.child.off('exit', onExit);
          if (reply.error) reject(new StepError(`${helper.name} failed: ${reply.error}`));
          else resolve(reply.result);
        }
      };
      const onExit = (code) => {
        reject(new StepError(`${helper.name} exited (${code}):\n${tail(helper.logFile)}`));
      };
      helper.child.on('message', onMessage);
      helper.child.once('exit', onExit);
      helper.child.send(message);
    });
  }

  async stopHelper(helper) {
    signalChild(helper, 'SIGTERM');
    const inTime = await Promise.race([helper.exited.then(() => true), sleep(5000)]);
    if (!inTime) signalChild(helper, 'SIGKILL');
    await helper.exited;
  }

  /** Stops everything this run started: one-shot tools, helpers, services, then the broker. */
  async stopAll() {
    for (const record of activeChildren) signalChild(record, 'SIGTERM');
    await Promise.all([...this.helpers].map((helper) => this.stopHelper(helper)));
    await this.stopServices();
    for (const record of activeChildren) signalChild(record, 'SIGKILL');
    await stopLocalBroker(this.broker, this.log, { stdio: 'ignore' }).catch((error) => {
      this.log.fail(error.message);
    });
  }

  /** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; the services leave their groups cleanly. */
  async stopServices() {
    const running = [...this.services.values()].filter(
      (s) => s.child.exitCode === null && s.child.signalCode === null,
    );
    if (running.length > 0) {
      this.log.step(`stopping ${running.map((s) => s.app).join(', ')}…`);
      for (const service of running) signalChild(service, 'SIGTERM');
      await Promise.race([Promise.all(running.map((s) => s.exited)), sleep(STOP_TIMEOUT_MS)]);
    }
    // SIGKILL each group even after a clean exit: nothing a service spawned may outlive it.
    for (const service of this.services.values()) {
      try {
        process.kill(-service.child.pid, 'SIGKILL');
      } catch {
        // group already empty
      }
    }
    this.services.clear();
  }
}
