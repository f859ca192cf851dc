// Backs the root scripts that run a built command with the development settings:
//
//   npm run merchants -- create "Acme" --json   node apps/gateway/dist/merchants.cli.js …
//   npm run migrate                             node apps/<app>/dist/migrate.cli.js, every app
//   npm run topics                              node libs/kafka/dist/provision.cli.js
//   npm run rebuild -- all                      node apps/payments/dist/rebuild.cli.js all
//   npm run openapi                             node apps/gateway/dist/openapi.cli.js
//
// Usage: node infra/dev/run-cli.mjs <workspace|all|kafka> <file> [args…]. `all` runs the file
// of every app that has it, in the order customers, payments, webhook-dispatcher, gateway, and
// stops at the first failure. Dependencies are installed and the workspace built first.
// DATABASE_URL defaults to the development database (created if missing), KAFKA_BROKERS to
// 127.0.0.1:9092. Commands that only write files from the code (OFFLINE_FILES) get no database.
//
// Stdout belongs to the command: everything this script says (npm ci, the build) goes to stderr,
// so `npm run -s merchants -- list --json | jq` stays machine-readable.
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_DATABASE_URL,
  DEV_CARD_FINGERPRINT_KEY,
  StepError,
  activeChildren,
  createLog,
  ensureDatabase,
  ensureDependencies,
  root,
  run,
  signalChild,
} from './common.mjs';

const ALL_ORDER = ['customers', 'payments', 'webhook-dispatcher', 'gateway'];
const OFFLINE_FILES = new Set(['openapi.cli.js', 'schemas.cli.js']);
const log = createLog(process.stderr);

// The command shares our process group, so a Ctrl-C reaches it directly: wait for its exit code
// rather than dying first. A signal sent to this script alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {
  for (const record of activeChildren) signalChild(record, 'SIGTERM');
});

async function main() {
  const [target, file, ...rest] = process.argv.slice(2);
  if (!target || !file) {
    throw new StepError('usage: node infra/dev/run-cli.mjs <workspace|all|kafka> <file> [args…]');
  }
  const folders =
    target === 'all' ? ALL_ORDER.map((app) => path.join('apps', app)) : [workspaceFolder(target)];

  await ensureDependencies(log, { stdio: process.stderr.fd, quiet: true });
  await build(target === 'all' ? undefined : folders[0]);

  const scripts = folders
    .map((folder) => path.join(folder, 'dist', file))
    .filter((script) => fs.existsSync(path.join(root, script)));
  if (scripts.length === 0) {
    throw new StepError(
      `no ${target === 'all' ? 'app has' : 'such file:'} ${path.join(/** @type {string} */ (folders[0]), 'dist', file)}`,
    );
  }

  const env = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
    CARD_FINGERPRINT_KEY: process.env.CARD_FINGERPRINT_KEY || DEV_CARD_FINGERPRINT_KEY,
  };
  if (target !== 'kafka' && !OFFLINE_FILES.has(file)) await ensureDatabase(env.DATABASE_URL);

  for (const script of scripts) {
    if (scripts.length > 1) log.step(`node ${script} ${rest.join(' ')}`.trimEnd());
    const result = await run(process.execPath, [script, ...rest], { env, stdio: 'inherit' });
    if (result.code !== 0) return result.code;
  }
  return 0;
}

function workspaceFolder(name) {
  for (const parent of ['apps', 'libs']) {
    if (fs.existsSync(path.join(root, parent, name, 'package.json')))
      return path.join(parent, name);
  }
  throw new StepError(`no workspace apps/${name} or libs/${name}`);
}

/** A quiet turbo build (of one workspace and its dependencies, or of everything). */
async function build(folder) {
  const args = ['turbo', 'run', 'build', '--output-logs=errors-only'];
  if (folder) {
    const { name } = JSON.parse(fs.readFileSync(path.join(root, folder, 'package.json'), 'utf8'));
    args.push(`--filter=${name}...`);
  }
  const result = await run('npx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.code !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new StepError(`the build failed: \`npx ${args.join(' ')}\` (output above)`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log.fail(error instanceof StepError ? error.message : (error?.stack ?? String(error)));
    process.exit(1);
  },
);
