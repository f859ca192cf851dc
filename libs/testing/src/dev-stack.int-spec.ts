import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childProcessEnv, repoRoot, serviceNames, testEnv } from './env';
import { roleName } from './roles';
import { waitUntil } from './wait';

// `npm start` supervises the services it starts: a killed service is started again, the
// terminal says so, and only Ctrl-C stops the stack. The stack gets its own broker, database and
// ports: its services must not join the consumer groups of the tests' stack.
const portBase = Number(process.env.TEST_PORT_BASE ?? 13000) + 40;
const adminPortBase = portBase + 10;
const kafkaPort = Number(process.env.TEST_KAFKA_PORT ?? 19092) + 7;
const stateDir = path.join(repoRoot, '.cache', `dev-stack-test-${portBase}`);
const databaseUrl = (() => {
  const url = new URL(testEnv.databaseUrl);
  url.pathname = `${url.pathname.slice(1)}_dev_stack`;
  return url.toString();
})();

describe('npm start', () => {
  let stack: ChildProcess;
  let output = '';
  const withOutput = (error: unknown): never => {
    throw new Error(`${String(error)}\n${output}`);
  };

  beforeAll(() => {
    fs.rmSync(stateDir, { recursive: true, force: true });
    spawnSync('psql', [testEnv.databaseUrl, '-c', `DROP DATABASE IF EXISTS ${dbName()}`]);
    stack = spawn(process.execPath, ['infra/dev/start.mjs'], {
      cwd: repoRoot,
      env: {
        ...childProcessEnv(),
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: '',
        KAFKA_PORT: String(kafkaPort),
        PORT_BASE: String(portBase),
        ADMIN_PORT_BASE: String(adminPortBase),
        STATE_DIR: stateDir,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    stack.stdout?.on('data', collect);
    stack.stderr?.on('data', collect);
  });

  afterAll(async () => {
    if (stack.exitCode === null && stack.signalCode === null) {
      stack.kill('SIGINT');
      await exitOf(stack, 60_000).catch(() => stack.kill('SIGKILL'));
    }
    spawnSync('bash', ['infra/kafka/kafka.sh', 'stop'], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_PORT: String(kafkaPort) },
      stdio: 'ignore',
    });
  }, 90_000);

  it('restarts a killed service, says so, and stops everything on Ctrl-C', async () => {
    await waitUntil(
      () => output.includes('FinFusion is running') || stack.exitCode !== null,
      240_000,
      500,
    ).catch(withOutput);
    expect(stack.exitCode).toBeNull();
    const payments = Number(/payments (\d+)/.exec(output.slice(output.indexOf('Processes')))?.[1]);
    const apiKey = /API key\s+(\S+)/.exec(output)?.[1];
    expect(payments).toBeGreaterThan(0);
    expect(output).toContain(`payments http://127.0.0.1:${adminPortBase + 1}/health/ready`);

    // Each service is connected as its own role, as in Kubernetes, not as the database's owner
    // (its readiness asks Postgres, so each has a session just after).
    await Promise.all(
      serviceNames.map((_, index) =>
        fetch(`http://127.0.0.1:${adminPortBase + index}/health/ready`),
      ),
    );
    const sessions = spawnSync(
      'psql',
      [
        testEnv.databaseUrl,
        '-At',
        '-c',
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '${dbName()}' ORDER BY 1`,
      ],
      { encoding: 'utf8' },
    ).stdout.split('\n');
    for (const app of serviceNames) expect(sessions).toContain(roleName(`${dbName()}_${app}`));

    process.kill(payments, 'SIGKILL');
    await waitUntil(() => /payments is back \(pid \d+\)/.test(output), 90_000, 500).catch(
      withOutput,
    );
    expect(output).toMatch(/payments exited \(SIGKILL\) after \d+ s; restarting in 1 s/);
    expect(stack.exitCode).toBeNull();

    // The restarted service takes requests again.
    const created = await waitUntil(
      async () => {
        const response = await fetch(`http://127.0.0.1:${portBase}/v2/payments`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': 'dev-stack-restart-1',
          },
          body: JSON.stringify({
            amount: { value: 1000, currency: 'EUR' },
            payment_method: {
              type: 'card',
              card: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' },
            },
          }),
          signal: AbortSignal.timeout(15_000),
        });
        return response.status === 200 ? response : undefined;
      },
      60_000,
      1000,
    );
    expect(created?.status).toBe(200);

    stack.kill('SIGINT');
    expect(await exitOf(stack, 60_000)).toBe(0);
    expect(output).toMatch(/services stopped/);
    const gatewayUp = await fetch(`http://127.0.0.1:${adminPortBase}/health/live`).then(
      () => true,
      () => false,
    );
    expect(gatewayUp).toBe(false);
  }, 420_000);
});

function dbName(): string {
  return new URL(databaseUrl).pathname.slice(1);
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode);
      return;
    }
    const timer = setTimeout(() => {
      reject(new Error(`no exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
