import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { childProcessEnv, repoRoot, testEnv } from './env';

export interface TestMerchant {
  merchantId: string;
  apiKey: string;
}

/**
 * Creates a merchant and an API key with the gateway's own command
 * (`merchants.cli.js create <name> --json`), against the test database and broker.
 */
export async function createMerchant(
  name = `Test ${randomUUID().slice(0, 8)}`,
): Promise<TestMerchant> {
  const cli = path.join('apps', 'gateway', 'dist', 'merchants.cli.js');
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [cli, 'create', name, '--json'], {
      cwd: repoRoot,
      env: {
        ...childProcessEnv(),
        DATABASE_URL: testEnv.databaseUrl,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        LOG_LEVEL: 'warn',
      },
      timeout: 60_000,
    }));
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(
      `node ${cli} create failed: ${error instanceof Error ? error.message : ''}\n${stderr}`,
    );
  }
  for (const line of stdout.trim().split('\n').reverse()) {
    const merchant = parseMerchant(line);
    if (merchant) return merchant;
  }
  throw new Error(
    `node ${cli} create --json printed no {"merchant_id","api_key"} line:\n${stdout}`,
  );
}

function parseMerchant(line: string): TestMerchant | undefined {
  try {
    const value = JSON.parse(line) as { merchant_id?: unknown; api_key?: unknown } | null;
    if (typeof value?.merchant_id === 'string' && typeof value.api_key === 'string') {
      return { merchantId: value.merchant_id, apiKey: value.api_key };
    }
  } catch {
    // a log line
  }
  return undefined;
}
