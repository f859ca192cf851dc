import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from '@finfusion/runtime';
import { CustomerEntity } from './customers/customer.entity';
import { customersMigrations } from './migrations';

/** One definition for the app, the migrate command and the tests (which pass their own schema). */
export const customersDataSourceOptions = (
  url: string,
  schema: string,
  poolSize?: number,
): DataSourceOptions =>
  dataSourceOptions({
    url,
    schema,
    entities: [CustomerEntity],
    migrations: customersMigrations,
    poolSize,
  });
