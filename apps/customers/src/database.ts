import { EVENT_LOG_TABLE } from '@finfusion/event-store';
import { serviceDatabase } from '@finfusion/runtime';
import { CustomerEntity } from './customers/customer.entity';
import { customersMigrations } from './migrations';

export const customersDatabase = serviceDatabase({
  entities: [CustomerEntity],
  migrations: customersMigrations,
  appendOnlyTables: [EVENT_LOG_TABLE],
});
