import 'reflect-metadata';
import { EventTopics } from '@finfusion/contracts';
import { loadConfig } from '@finfusion/config';
import { exitOnBootFailure, runRepublishCommand } from '@finfusion/runtime';
import { CUSTOMERS_SCHEMA, CustomersConfig } from './config';
import { customersDatabase } from './database';
import { CustomerKeys } from './customers/personal-data/customer-keys';
import { customerRecords } from './customers/publishing/public-event';

// Sends a range of the customers event log to customers.customer.events again, as the relay did
// (`npm run republish -- --topic customers.customer.events --from <position|date> [--to …]`).
// Records are made as they are sent: a deleted customer's events go out with its data erased.
runRepublishCommand({
  service: 'customers',
  topic: EventTopics.customers,
  schema: CUSTOMERS_SCHEMA,
  database: customersDatabase,
  toRecords: () => customerRecords(new CustomerKeys(loadConfig(CustomersConfig))),
}).catch(exitOnBootFailure);
