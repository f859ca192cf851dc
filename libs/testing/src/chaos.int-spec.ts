import { spawn, type ChildProcess } from 'node:child_process';
import { childProcessEnv, repoRoot, testEnv } from './env';

// The short chaos run (`npm run chaos -- --short`): one scenario of each kind of fault (a killed
// service, a broker restart, a Postgres outage, a receiver down, a killed replica), each under
// load and followed by the audit. It starts a stack of its own (broker, database, ports), out of
// the way of the tests' stack and of `npm start`, and uses the services this run has built.
const portBase = Number(process.env.TEST_PORT_BASE ?? 13000) + 60;
const kafkaPort = Number(process.env.TEST_KAFKA_PORT ?? 19092) + 9;
const database = `${new URL(testEnv.databaseUrl).pathname.slice(1)}_chaos`;

// A failed or timed-out test still stops the run, which then stops everything it started.
let chaos: ChildProcess | undefined;

describe('npm run chaos -- --short', () => {
  afterAll(() => {
    if (chaos && chaos.exitCode === null && chaos.signalCode === null) chaos.kill('SIGTERM');
  });

  it(
    'passes every scenario and its audit',
    async () => {
      const { code, output } = await runChaos();
      const summary = /(\d+) passed, (\d+) failed\s*$/.exec(output);
      if (code !== 0 || !summary || summary[2] !== '0' || summary[1] === '0') {
        throw new Error(`the chaos run failed (exit code ${code}):\n${output}`);
      }
    },
    15 * 60_000,
  );
});

function runChaos(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = (chaos = spawn(
      process.execPath,
      ['infra/chaos/chaos.mjs', '--short', '--no-build'],
      {
        cwd: repoRoot,
        env: {
          ...childProcessEnv(),
          CHAOS_DATABASE_URL: testEnv.databaseUrl,
          CHAOS_DATABASE: database,
          CHAOS_KAFKA_PORT: String(kafkaPort),
          CHAOS_PORT_BASE: String(portBase),
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ));
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}
