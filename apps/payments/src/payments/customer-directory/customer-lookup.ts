import type { RequestMeta } from '@finfusion/contracts';
import type { CustomerFact } from './customer-directory';

/** The customers service could not be asked, or did not answer in time: retry later. */
export class CustomersUnavailable extends Error {
  override readonly name = 'CustomersUnavailable';
}

/**
 * The port to the customers service's own answer about one customer id, for the ids the
 * directory has not heard of. An abstract class so that Nest can inject it by type.
 */
export abstract class CustomerLookup {
  /**
   * The customer as the customers service knows it, or null if it has never had that id.
   * Throws CustomersUnavailable when it cannot tell.
   */
  abstract lookup(customerId: string, meta: RequestMeta): Promise<CustomerFact | null>;
}
