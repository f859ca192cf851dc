import { CreateCustomers1764100000000 } from './1764100000000-create-customers';

/** In order; never edit one that has shipped, add the next. */
export const customersMigrations = [CreateCustomers1764100000000];
