import { serviceDatabase } from '@finfusion/runtime';
import { CustomerEntity } from './customers/customer.entity';
import { customersMigrations } from './migrations';

export const customersDatabase = serviceDatabase({
  entities: [CustomerEntity],
  migrations: customersMigrations,
});
