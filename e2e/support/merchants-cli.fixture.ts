import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testEnv } from '@finfusion/testing';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Runs the built merchants command against the e2e stack's database; resolves with stdout. */
export async function merchantsCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join('apps', 'gateway', 'dist', 'merchants.cli.js'), ...args],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: testEnv.databaseUrl,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        LOG_LEVEL: 'warn',
      },
      timeout: 60_000,
    },
  );
  return stdout;
}

/** The id of a merchant's only key (createMerchant gives the secret, not its id). */
export async function onlyKeyIdOf(merchantId: string): Promise<string> {
  const keys = JSON.parse(await merchantsCli('keys', merchantId, '--json')) as { id: string }[];
  const [key] = keys;
  if (keys.length !== 1 || !key) throw new Error(`expected one key for ${merchantId}`);
  return key.id;
}
