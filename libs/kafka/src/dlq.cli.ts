import { parseArgs } from 'node:util';
import { loadConfig, ServiceConfig } from '@finfusion/config';
import { dlqTopicOf, EventTopics } from '@finfusion/contracts';
import { listParked, replayParked, type ParkedRecord } from './dead-letters';
import { kafkaConnection } from './kafka-options';

const USAGE = `usage:
  npm run dlq -- list   [--topic T] [--group G] [--offset N,…] [--json]
  npm run dlq -- replay [--topic T] [--group G] [--offset N,…] [--json]

Lists or replays the records consumers parked on the event topics' dead-letter topics (<topic>.dlq).
--topic: an event topic or its .dlq (default: every event topic); --group: the consumer group that
parked them; --offset: offsets in the dead-letter topic. A replay re-sends each record to its
original topic for the group that parked it only, and records that it did: replaying again re-sends
nothing twice. Values are never printed: their size, key and event id/type are.`;

function describe(record: ParkedRecord): string {
  const state = record.replayedAt === undefined ? 'parked' : `replayed ${record.replayedAt}`;
  const event = [record.eventId, record.eventType].filter(Boolean).join(' ');
  return [
    `${record.dlqTopic}@${record.dlqOffset}  ${state}`,
    `  from ${record.topic ?? '?'} partition ${record.partition ?? '?'} offset ${record.offset ?? '?'}`,
    `  group ${record.group ?? '?'}, failed at ${record.failedAt ?? '?'} after ${record.attempts ?? '?'} attempts`,
    `  key ${record.key ?? '(none)'}, ${record.size} bytes${event ? `, event ${event}` : ''}`,
    `  error: ${record.error ?? '?'}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      topic: { type: 'string' },
      group: { type: 'string' },
      offset: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const [command] = positionals;
  if (values.help === true || (command !== 'list' && command !== 'replay')) {
    process.stderr.write(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  const config = loadConfig(ServiceConfig);
  const topics =
    values.topic === undefined
      ? Object.values(EventTopics).map(dlqTopicOf)
      : [values.topic.endsWith('.dlq') ? values.topic : dlqTopicOf(values.topic)];
  const filter = {
    ...(values.group !== undefined && { group: values.group }),
    ...(values.offset !== undefined && { offsets: values.offset.split(',').map((o) => o.trim()) }),
  };
  const run = command === 'list' ? listParked : replayParked;
  const records: ParkedRecord[] = [];
  for (const topic of topics) records.push(...(await run(kafkaConnection(config), topic, filter)));

  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
  } else {
    for (const record of records) process.stdout.write(`${describe(record)}\n`);
    const what = command === 'list' ? 'parked record(s) listed' : 'record(s) replayed';
    process.stdout.write(`${records.length} ${what}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
