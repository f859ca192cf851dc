import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestMeta } from '@finfusion/contracts';
import { CustomerLookup, CustomersUnavailable } from './customer-lookup';
import { tableOf } from '@finfusion/event-store';

/** What one customer event tells this service: whose customer it is, and whether it is live. */
export interface CustomerFact {
  customerId: string;
  merchantId: string;
  deleted: boolean;
  /** The customer's stream version: an older fact never overwrites a newer one. */
  sequence: number;
}

/** `unavailable`: neither the directory nor the customers service could tell, just now. */
export type DirectoryAnswer = 'live' | 'absent' | 'unavailable';

/**
 * The customers of each merchant, as far as customers.customer.events has told this service.
 * Payments owns this table; it never reads the customers schema (each service owns its schema).
 */
@Injectable()
export class CustomerDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lookup: CustomerLookup,
  ) {}

  /** Idempotent: a redelivered or out-of-date fact changes nothing. */
  async record(fact: CustomerFact): Promise<void> {
    const table = tableOf(this.dataSource, 'known_customers');
    await this.dataSource.query(
      `INSERT INTO ${table} AS k (customer_id, merchant_id, deleted, sequence, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (customer_id) DO UPDATE
         SET deleted = EXCLUDED.deleted, sequence = EXCLUDED.sequence, updated_at = now()
         WHERE k.sequence < EXCLUDED.sequence AND k.merchant_id = EXCLUDED.merchant_id`,
      [fact.customerId, fact.merchantId, fact.deleted, fact.sequence],
    );
  }

  /** Like `record` for each fact, in one statement: the newest fact per customer counts. */
  async recordAll(facts: CustomerFact[]): Promise<void> {
    const newest = new Map<string, CustomerFact>();
    for (const fact of facts) {
      const known = newest.get(fact.customerId);
      if (!known || known.sequence < fact.sequence) newest.set(fact.customerId, fact);
    }
    if (newest.size === 0) return;
    const latest = [...newest.values()];
    const table = tableOf(this.dataSource, 'known_customers');
    await this.dataSource.query(
      `INSERT INTO ${table} AS k (customer_id, merchant_id, deleted, sequence, updated_at)
       SELECT customer_id, merchant_id, deleted, sequence, now()
         FROM unnest($1::text[], $2::text[], $3::boolean[], $4::integer[])
           AS f (customer_id, merchant_id, deleted, sequence)
       ON CONFLICT (customer_id) DO UPDATE
         SET deleted = EXCLUDED.deleted, sequence = EXCLUDED.sequence, updated_at = now()
         WHERE k.sequence < EXCLUDED.sequence AND k.merchant_id = EXCLUDED.merchant_id`,
      [
        latest.map((f) => f.customerId),
        latest.map((f) => f.merchantId),
        latest.map((f) => f.deleted),
        latest.map((f) => f.sequence),
      ],
    );
  }

  /**
   * Whether the customer is a live customer of the merchant. The directory answers what it has
   * heard of at once; an id it has not (created a moment ago, its event still on its way, or no
   * customer at all) is asked of the customers service, whose answer is recorded.
   */
  async standingOf(
    merchantId: string,
    customerId: string,
    meta: RequestMeta,
  ): Promise<DirectoryAnswer> {
    const [row] = await this.dataSource.query<{ merchant_id: string; deleted: boolean }[]>(
      `SELECT merchant_id, deleted FROM ${tableOf(this.dataSource, 'known_customers')}
        WHERE customer_id = $1`,
      [customerId],
    );
    if (row) return row.merchant_id === merchantId && !row.deleted ? 'live' : 'absent';
    let fact: CustomerFact | null;
    try {
      fact = await this.lookup.lookup(customerId, meta);
    } catch (error) {
      if (error instanceof CustomersUnavailable) return 'unavailable';
      throw error;
    }
    if (fact === null) return 'absent';
    await this.record(fact);
    return fact.merchantId === merchantId && !fact.deleted ? 'live' : 'absent';
  }
}
