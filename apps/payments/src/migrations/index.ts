import { CreatePayments1764200000000 } from './1764200000000-create-payments';
import { NotifyEventAppends1764700000000 } from './1764700000000-notify-event-appends';
import { NotifySleepingSubscriptions1764800000000 } from './1764800000000-notify-sleeping-subscriptions';
import { PendingPaymentRecovery1764900001000 } from './1764900001000-pending-payment-recovery';
import { CapturesCancellationsRefunds1765400000000 } from './1765400000000-captures-cancellations-refunds';
import { CapturesAndRefundsAtTheAcquirer1765500000000 } from './1765500000000-captures-and-refunds-at-the-acquirer';

/** In order; never edit one that has shipped, add the next. */
export const paymentsMigrations = [
  CreatePayments1764200000000,
  NotifyEventAppends1764700000000,
  NotifySleepingSubscriptions1764800000000,
  PendingPaymentRecovery1764900001000,
  CapturesCancellationsRefunds1765400000000,
  CapturesAndRefundsAtTheAcquirer1765500000000,
];
