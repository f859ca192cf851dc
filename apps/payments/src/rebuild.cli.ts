import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DatabaseConfig, loadConfig } from '@finfusion/config';
import { EventStore } from '@finfusion/event-store';
import { dataSourceOptions, exitOnBootFailure } from '@finfusion/runtime';
import { PAYMENTS_SCHEMA } from './config';
import { paymentsDatabase } from './database';
import { rebuildDailySummary } from './payments/projections/daily-summary/daily-summary.projection';
import { rebuildPaymentsTable } from './payments/projections/payment-read-model/payment-read-model.rebuild';

const READ_MODELS = ['payments', 'daily-summary'] as const;
type ReadModel = (typeof READ_MODELS)[number];

const USAGE = `usage: node apps/payments/dist/rebuild.cli.js <${READ_MODELS.join('|')}|all>

Rebuilds a read model of the payments schema from the event log:
  payments       the payments table that GET and lists read: rebuilt into a new table in short
                 transactions while the service runs, then swapped in under a brief lock
  daily-summary  the per-merchant daily summary: counted into a new table in short transactions,
                 then swapped in and its projection's checkpoint moved to where it stopped

It connects as the schema's owner (DATABASE_URL of the migrate command), which creates the new
tables; the service's role is given its rights on them as they are created.`;

async function rebuild(
  dataSource: DataSource,
  store: EventStore,
  model: ReadModel,
): Promise<string> {
  switch (model) {
    case 'payments': {
      const { payments } = await rebuildPaymentsTable(dataSource, store);
      return `payments: ${payments} payments rebuilt from the log`;
    }
    case 'daily-summary': {
      const { events } = await rebuildDailySummary(dataSource, store);
      return `daily-summary: rebuilt from ${events} events`;
    }
    default: {
      const unhandled: never = model;
      throw new Error(`unknown read model ${String(unhandled)}`);
    }
  }
}

async function main(): Promise<void> {
  const [target] = process.argv.slice(2);
  const models = target === 'all' ? [...READ_MODELS] : READ_MODELS.filter((m) => m === target);
  if (models.length === 0) {
    console.error(USAGE);
    process.exit(2);
  }
  // The new tables are created, and the old ones dropped, by the schema's owner: run it with the
  // migrations' DATABASE_URL. The default privileges the migrations set give the service's role
  // its rights on each new table as it is created.
  const config = loadConfig(DatabaseConfig);
  const dataSource = new DataSource(
    // Two connections: the rebuild's advisory lock holds one, its transactions use the other.
    dataSourceOptions(paymentsDatabase(config.DATABASE_URL, PAYMENTS_SCHEMA, 2)),
  );
  await dataSource.initialize();
  try {
    const store = new EventStore(PAYMENTS_SCHEMA);
    for (const model of models) console.log(await rebuild(dataSource, store, model));
  } finally {
    await dataSource.destroy();
  }
}

main().catch(exitOnBootFailure);
