import { CreateCustomers1764100000000 } from './1764100000000-create-customers';
import { NotifyEventAppends1764700000000 } from './1764700000000-notify-event-appends';
import { NotifySleepingSubscriptions1764800000000 } from './1764800000000-notify-sleeping-subscriptions';
import { CustomerDataKeys1765300000000 } from './1765300000000-customer-data-keys';

/** In order; never edit one that has shipped, add the next. */
export const customersMigrations = [
  CreateCustomers1764100000000,
  NotifyEventAppends1764700000000,
  NotifySleepingSubscriptions1764800000000,
  CustomerDataKeys1765300000000,
];
