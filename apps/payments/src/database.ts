import { serviceDatabase } from '@finfusion/runtime';
import { paymentsMigrations } from './migrations';
import { PaymentRow } from './payments/projections/payment-read-model/payment-row.entity';

export const paymentsDatabase = serviceDatabase({
  entities: [PaymentRow],
  migrations: paymentsMigrations,
});
