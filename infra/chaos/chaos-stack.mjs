// The chaos run's stack: the bench's (broker, database, the four built services), with the
// services reaching Postgres through a proxy that can be paused, a webhook retry schedule short
// enough to outlast a one-minute receiver outage within the run, and instances that can be
// killed, restarted and doubled one at a time.
import fs from 'node:fs';
import path from 'node:path';
import { Stack } from '../bench/stack.mjs';
import {
  APPS,
  StepError,
  isAlive,
  isServiceReady,
  root,
  sleep,
  spawnService,
  startLocalBroker,
  tail,
  withDatabase,
} from '../dev/common.mjs';

const READY_TIMEOUT_MS = 120_000;

// Attempts at 0, 1, 2, 4, 8, 15, 15… s: about 3 minutes in all, so a receiver that is down for a
// minute (or a dispatcher restarted meanwhile) still gets every delivery within the scenario.
export const CHAOS_RETRY_SCHEDULE = [
  0, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000, 15000, 15000, 15000, 15000, 15000, 15000,
].join(',');

export class ChaosStack extends Stack {
  /** @param {ConstructorParameters<typeof Stack>[0] & { proxyPort: number }} options */
  constructor({ proxyPort, ...options }) {
    super(options);
    this.directDatabaseUrl = options.databaseUrl;
    const url = new URL(options.databaseUrl);
    url.host = `127.0.0.1:${proxyPort}`;
    this.proxiedDatabaseUrl = url.toString();
  }

  /**
   * @override
   * @param {string} [app]
   */
  serviceEnv(app) {
    const env = super.serviceEnv(app);
    if (app) env.DATABASE_URL = this.proxiedDatabaseUrl;
    env.WEBHOOK_RETRY_SCHEDULE = CHAOS_RETRY_SCHEDULE;
    return env;
  }

  /** Starts one instance of `app` as `name` on `port`; its log is appended to across restarts. */
  startInstance(name, app, port) {
    if (this.services.get(name)?.running) throw new StepError(`${name} is already running`);
    const logFile = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    const env = {
      ...this.serviceEnv(app),
      PORT: String(port),
      ADMIN_PORT: String(this.adminPortOf(port)),
    };
    const child = spawnService(app, env, fd);
    const service = { name, app, port, child, detached: true, logFile, running: true };
    service.exited = new Promise((resolve) =>
      child.once('close', () => {
        service.running = false;
        resolve(undefined);
      }),
    );
    this.services.set(name, service);
    return service;
  }

  async startAll() {
    for (const app of APPS) this.startInstance(app, app, this.ports[app]);
    await Promise.all(APPS.map((app) => this.waitReady(app)));
  }

  async waitReady(name) {
    const service = this.services.get(name);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await isServiceReady(this.adminPortOf(service.port)))) {
      if (!service.running) throw new StepError(`${name} exited:\n${tail(service.logFile, 30)}`);
      if (Date.now() > deadline) throw new StepError(`${name} not ready after 120 s`);
      await sleep(250);
    }
  }

  /** SIGKILL of the instance's whole process group, as the kernel's OOM killer or a node loss. */
  async kill9(name) {
    const service = this.services.get(name);
    try {
      process.kill(-service.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await service.exited;
  }

  /** Starts the killed instance again, as Kubernetes restarts a container; resolves when ready. */
  async restart(name) {
    const { app, port } = this.services.get(name);
    this.startInstance(name, app, port);
    await this.waitReady(name);
  }

  /** Graceful stop of one instance (SIGTERM, SIGKILL after 30 s). */
  async stopInstance(name) {
    const service = this.services.get(name);
    if (!service?.running) return;
    process.kill(-service.child.pid, 'SIGTERM');
    const inTime = await Promise.race([service.exited.then(() => true), sleep(30_000)]);
    if (!inTime) await this.kill9(name);
    this.services.delete(name);
  }

  brokerPidFile() {
    const home = process.env.KAFKA_HOME_DIR || path.join(root, '.cache', 'kafka');
    return path.join(home, `data-${this.kafkaPort}`, 'broker.pid');
  }

  /** kill -9 of the broker's JVM; its data stays for the restart. */
  async killBroker() {
    const pid = Number(fs.readFileSync(this.brokerPidFile(), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }

  /** The broker again, on the same data (infra/kafka/kafka.sh start sees it is not running). */
  async restartBroker() {
    await startLocalBroker(this.broker, this.log, { stdio: 'ignore' });
  }

  directUrl(name) {
    return name ? withDatabase(this.directDatabaseUrl, name) : this.directDatabaseUrl;
  }
}
