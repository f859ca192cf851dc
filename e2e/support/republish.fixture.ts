import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, TEST_PERSONAL_DATA_KEYS, testEnv } from '@finfusion/testing';

const run = promisify(execFile);

/** Runs an app's built republish command (`npm run republish`) against the test stack. */
export const republish = (app: 'payments' | 'customers', args: string[]) =>
  run(process.execPath, [path.join(repoRoot, 'apps', app, 'dist', 'republish.cli.js'), ...args], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: testEnv.databaseUrl,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      // The customers service's ring: the command opens customers' personal data as it does.
      PERSONAL_DATA_KEYS: TEST_PERSONAL_DATA_KEYS,
      LOG_LEVEL: 'warn',
    },
  });
