import { CreatePayments1764200000000 } from './1764200000000-create-payments';

/** In order; never edit one that has shipped, add the next. */
export const paymentsMigrations = [CreatePayments1764200000000];
