import 'reflect-metadata';
import { EventTopics } from '@finfusion/contracts';
import { exitOnBootFailure, runRepublishCommand } from '@finfusion/runtime';
import { PAYMENTS_SCHEMA } from './config';
import { paymentsDatabase } from './database';
import { PaymentEventRecords } from './payments/publishing/payment-events.relay';

// Sends a range of the payments event log to payments.payment.events again, as the relay did
// (`npm run republish -- --topic payments.payment.events --from <position|date> [--to …]`).
runRepublishCommand({
  service: 'payments',
  topic: EventTopics.payments,
  schema: PAYMENTS_SCHEMA,
  database: paymentsDatabase,
  toRecords: (store) => {
    const records = new PaymentEventRecords(store);
    return (events, manager) => records.of(events, manager);
  },
}).catch(exitOnBootFailure);
