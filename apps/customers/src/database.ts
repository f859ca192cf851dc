import type { DatabaseSettings } from '@finfusion/runtime';
import { CustomerEntity } from './customers/customer.entity';
import { customersMigrations } from './migrations';

/** One definition for the app, the migrate command and the tests (which pass their own schema). */
export const customersDatabase = (
  url: string,
  schema: string,
  poolSize?: number,
): DatabaseSettings => ({
  url,
  schema,
  entities: [CustomerEntity],
  migrations: customersMigrations,
  poolSize,
});
