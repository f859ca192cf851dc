import { CreateCustomers1764100000000 } from './1764100000000-create-customers';
import { NotifyEventAppends1764700000000 } from './1764700000000-notify-event-appends';

/** In order; never edit one that has shipped, add the next. */
export const customersMigrations = [CreateCustomers1764100000000, NotifyEventAppends1764700000000];
