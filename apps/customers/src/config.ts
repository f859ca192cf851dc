import { Port, RelayServiceConfig } from '@finfusion/config';

/** The Postgres schema this service owns: its customers table and its event log (the outbox). */
export const CUSTOMERS_SCHEMA = 'customers';

export class CustomersConfig extends RelayServiceConfig {
  @Port()
  PORT: number = 3002;

  /** Health and metrics (ServiceConfig): beside PORT, 100 above it. */
  override ADMIN_PORT: number = 3102;
}
