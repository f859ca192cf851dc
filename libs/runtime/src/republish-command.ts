import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import { loadConfig, ServiceConfig } from '@finfusion/config';
import { EventTopics } from '@finfusion/contracts';
import {
  EventStore,
  parseLogBound,
  republish,
  type LogBound,
  type StoredEvent,
} from '@finfusion/event-store';
import { kafkaConnection, KeyedPublisher, type KeyedRecord } from '@finfusion/kafka';
import { dataSourceOptions, type ServiceDatabase } from './database';
import { structuredLogger } from './logging';

/** What a service's republish command sends: its event topic, from its log. */
export interface RepublishDefinition {
  service: string;
  topic: string;
  schema: string;
  database: ServiceDatabase;
  /** The topic's records of a page of events, as the service's relay makes them. */
  toRecords: (
    store: EventStore,
  ) => (events: StoredEvent[], manager: EntityManager) => KeyedRecord[] | Promise<KeyedRecord[]>;
}

const usage = (): string =>
  `usage: npm run republish -- --topic <${Object.values(EventTopics).join('|')}> ` +
  `--from <position|date> [--to <position|date>]

Sends the events of the log in the range again to the topic, as its relay sent them (same event
ids, keys and headers, in log order), for backfills and new consumers. A bound is a global
position of the log (digits) or a date or time (2026-03-15, 2026-03-15T10:30:00Z), compared with
when events were written; both are inclusive. Consumers deduplicate on the event id.`;

/**
 * The republish command of a service (`republish.cli.ts`): parses the range, reads the log with
 * the database settings and sends with the Kafka settings of the service's configuration. With
 * another --topic it does nothing, so `npm run republish` can ask every service in turn.
 */
export async function runRepublishCommand(definition: RepublishDefinition): Promise<void> {
  const { values } = parseArgs({
    options: {
      topic: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
  const eventTopics: readonly string[] = Object.values(EventTopics);
  if (values.topic !== definition.topic && eventTopics.includes(values.topic ?? '')) return;
  const bound = (text: string | undefined): LogBound | undefined | null =>
    text === undefined ? undefined : (parseLogBound(text) ?? null);
  const from = bound(values.from);
  const to = bound(values.to);
  if (values.topic !== definition.topic || from === undefined || from === null || to === null) {
    process.stderr.write(`${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(ServiceConfig);
  const logger = structuredLogger(new Logger(`${definition.service}-republish`));
  const publisher = new KeyedPublisher(
    { ...kafkaConnection(config), clientId: `${definition.service}-republish` },
    logger,
  );
  const dataSource = new DataSource(
    dataSourceOptions(definition.database(config.DATABASE_URL, definition.schema, 1)),
  );
  await dataSource.initialize();
  await publisher.connect();
  try {
    const store = new EventStore(definition.schema);
    const sent = await republish({
      dataSource,
      store,
      topic: definition.topic,
      range: { from, ...(to !== undefined && { to }) },
      publisher,
      toRecords: definition.toRecords(store),
      onProgress: ({ events, lastPosition }) => {
        logger.info({ events, last_position: lastPosition }, 'republished');
      },
    });
    process.stdout.write(
      sent.events === 0
        ? `${definition.topic}: no events in the range\n`
        : `${definition.topic}: ${sent.events} events sent again, positions ` +
            `${sent.firstPosition ?? ''}-${sent.lastPosition ?? ''}\n`,
    );
  } finally {
    await publisher.disconnect();
    await dataSource.destroy();
  }
}
