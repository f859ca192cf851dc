import 'reflect-metadata';
import { EventTopics } from '@finfusion/contracts';
import { eventRecord } from '@finfusion/event-store';
import { exitOnBootFailure, runRepublishCommand } from '@finfusion/runtime';
import { CUSTOMERS_SCHEMA } from './config';
import { customersDatabase } from './database';
import { toPublicEvent } from './customers/publishing/public-event';

// Sends a range of the customers event log to customers.customer.events again, as the relay did
// (`npm run republish -- --topic customers.customer.events --from <position|date> [--to …]`).
runRepublishCommand({
  service: 'customers',
  topic: EventTopics.customers,
  schema: CUSTOMERS_SCHEMA,
  database: customersDatabase,
  toRecords: () => (events) => events.map((event) => eventRecord(toPublicEvent(event), event)),
}).catch(exitOnBootFailure);
