import { EVENT_LOG_TABLE } from '@finfusion/event-store';
import { serviceDatabase } from '@finfusion/runtime';
import { paymentsMigrations } from './migrations';
import { PaymentRow } from './payments/projections/payment-read-model/payment-row.entity';

export const paymentsDatabase = serviceDatabase({
  entities: [PaymentRow],
  migrations: paymentsMigrations,
  appendOnlyTables: [EVENT_LOG_TABLE],
});
