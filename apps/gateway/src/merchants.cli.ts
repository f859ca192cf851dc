import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@finfusion/config';
import { dataSourceOptions, exitOnBootFailure, migrate } from '@finfusion/runtime';
import { GatewayConfig } from './config';
import { GATEWAY_SCHEMA, gatewayDatabase } from './database';
import { MerchantDirectory, type IssuedKey } from './merchants/merchant-directory';

const USAGE = `Usage: node apps/gateway/dist/merchants.cli.js <command> [--json]

  create <name>            create a merchant and its first API key (the key is shown once)
  list                     list merchants
  keys <merchant_id>       list a merchant's keys (never the secret)
  add-key <merchant_id>    create another API key for a merchant (shown once)
  revoke <key_id>          revoke a key; requests with it are refused within seconds

With --json, each command prints one JSON line.`;

class UsageError extends Error {}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const table = (rows: string[][]): string => {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const showKey = (key: IssuedKey): void => {
  print(`api key   ${key.api_key}`);
  print(`key id    ${key.key_id}`);
  print('Store the key now: it is not shown again (only its prefix is kept).');
};

async function run(directory: MerchantDirectory, args: string[], json: boolean): Promise<void> {
  const [command = '', argument] = args;
  const needArgument = (what: string): string => {
    if (argument === undefined || argument === '') {
      throw new UsageError(`${command}: missing <${what}>`);
    }
    return argument;
  };
  switch (command) {
    case 'create': {
      const { merchant, key } = await directory.createMerchant(needArgument('name'));
      if (json) {
        print(JSON.stringify({ merchant_id: merchant.id, api_key: key.api_key }));
      } else {
        print(`merchant  ${merchant.id} (${merchant.name})`);
        showKey(key);
      }
      return;
    }
    case 'list': {
      const merchants = await directory.listMerchants();
      if (json) print(JSON.stringify(merchants));
      else if (merchants.length === 0) print('no merchants');
      else {
        print(
          table([
            ['MERCHANT', 'NAME', 'ACTIVE KEYS', 'CREATED'],
            ...merchants.map((m) => [m.id, m.name, String(m.active_keys), m.created_at]),
          ]),
        );
      }
      return;
    }
    case 'keys': {
      const merchantId = needArgument('merchant_id');
      const keys = await directory.listKeys(merchantId);
      if (!keys) throw new Error(`no such merchant: ${merchantId}`);
      if (json) print(JSON.stringify(keys));
      else {
        print(
          table([
            ['KEY', 'PREFIX', 'CREATED', 'REVOKED'],
            ...keys.map((k) => [k.id, `${k.prefix}…`, k.created_at, k.revoked_at ?? '-']),
          ]),
        );
      }
      return;
    }
    case 'add-key': {
      const merchantId = needArgument('merchant_id');
      const key = await directory.addKey(merchantId);
      if (!key) throw new Error(`no such merchant: ${merchantId}`);
      if (json) print(JSON.stringify(key));
      else showKey(key);
      return;
    }
    case 'revoke': {
      const keyId = needArgument('key_id');
      const outcome = await directory.revokeKey(keyId);
      if (outcome === 'not_found') throw new Error(`no such key: ${keyId}`);
      if (json) print(JSON.stringify({ key_id: keyId, status: outcome }));
      else
        print(outcome === 'revoked' ? `key ${keyId} revoked` : `key ${keyId} was already revoked`);
      return;
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

// Manages merchants and their API keys in the gateway's schema, migrating it first unless
// MIGRATIONS_RUN=false (run with the gateway's environment, as its role, it only writes rows).
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const args = argv.filter((arg) => arg !== '--json');
  if (args.length === 0 || args[0] === 'help' || args.includes('--help')) {
    print(USAGE);
    return;
  }
  const config = loadConfig(GatewayConfig);
  const database = gatewayDatabase(config.DATABASE_URL, GATEWAY_SCHEMA, 2);
  const dataSource = new DataSource(dataSourceOptions(database));
  await dataSource.initialize();
  try {
    if (config.MIGRATIONS_RUN) await migrate(dataSource, GATEWAY_SCHEMA);
    await run(new MerchantDirectory(dataSource), args, json);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof Error && !(error instanceof TypeError)) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch(exitOnBootFailure);
