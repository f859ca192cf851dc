import type { DatabaseSettings } from '@finfusion/runtime';
import { paymentsMigrations } from './migrations';
import { PaymentRow } from './payments/projections/payment-read-model/payment-row.entity';

/** One definition for the app, the commands and the tests (which pass a schema of their own). */
export const paymentsDatabase = (
  url: string,
  schema: string,
  poolSize?: number,
): DatabaseSettings => ({
  url,
  schema,
  entities: [PaymentRow],
  migrations: paymentsMigrations,
  poolSize,
});
