import { IsInt, Max, Min } from 'class-validator';
import { Port, RelayServiceConfig } from '@finfusion/config';

/** The Postgres schema this service owns: its customers table and its event log (the outbox). */
export const CUSTOMERS_SCHEMA = 'customers';

export class CustomersConfig extends RelayServiceConfig {
  @Port()
  PORT: number = 3002;

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;
}
