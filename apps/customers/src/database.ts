import { EVENT_LOG_TABLE } from '@finfusion/event-store';
import { serviceDatabase } from '@finfusion/runtime';
import { CustomerEntity } from './customers/customer.entity';
import { CUSTOMER_KEYS_TABLE } from './customers/personal-data/customer-keys';
import { customersMigrations } from './migrations';

export const customersDatabase = serviceDatabase({
  entities: [CustomerEntity],
  migrations: customersMigrations,
  appendOnlyTables: [EVENT_LOG_TABLE],
  // A data key is written once and deleted with its customer; nothing may change one.
  writeOnceTables: [CUSTOMER_KEYS_TABLE],
});
