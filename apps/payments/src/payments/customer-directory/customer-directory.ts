import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PaymentsConfig } from '../../config';
import { tableOf } from '../../tables';

/** What one customer event tells this service: whose customer it is, and whether it is live. */
export interface CustomerFact {
  customerId: string;
  merchantId: string;
  deleted: boolean;
  /** The customer's stream version: an older fact never overwrites a newer one. */
  sequence: number;
}

const LOOKUP_INTERVAL_MS = 100;

/**
 * The customers of each merchant, as far as customers.customer.events has told this service.
 * Payments owns this table; it never reads the customers schema (each service owns its schema).
 */
@Injectable()
export class CustomerDirectory {
  private readonly waitMs: number;

  constructor(
    private readonly dataSource: DataSource,
    config: PaymentsConfig,
  ) {
    this.waitMs = config.CUSTOMER_LOOKUP_WAIT_MS;
  }

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
   * Whether the customer is a live customer of the merchant. A customer this service has not heard
   * of may have been created a moment ago, its event still on its way: such a lookup waits up to
   * CUSTOMER_LOOKUP_WAIT_MS for it. A known answer (another merchant's, deleted) is immediate.
   */
  async isLiveCustomerOf(merchantId: string, customerId: string): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const [row] = await this.dataSource.query<{ merchant_id: string; deleted: boolean }[]>(
        `SELECT merchant_id, deleted FROM ${tableOf(this.dataSource, 'known_customers')}
          WHERE customer_id = $1`,
        [customerId],
      );
      if (row) return row.merchant_id === merchantId && !row.deleted;
      if (Date.now() >= deadline) return false;
      await sleep(LOOKUP_INTERVAL_MS);
    }
  }
}
