import { EVENT_LOG_TABLE } from '@finfusion/event-store';
import { serviceDatabase } from '@finfusion/runtime';
import { paymentsMigrations } from './migrations';
import { PaymentRow } from './payments/projections/payment-read-model/payment-row.entity';
import { RefundRow } from './payments/projections/payment-read-model/refund-row.entity';

export const paymentsDatabase = serviceDatabase({
  entities: [PaymentRow, RefundRow],
  migrations: paymentsMigrations,
  appendOnlyTables: [EVENT_LOG_TABLE],
});
