import type { DataSource } from 'typeorm';
import { tableOf } from '@finfusion/event-store';
import type { AuthorizationResult, RefundResult } from '../domain/payment.decider';
import type { RefundFailure } from '../domain/payment.events';
import type { AuthorizationEnd } from './acquirer';

/** The answer an acquirer keeps for one reference. */
export interface Recorded<T> {
  outcome: T;
  /** True only for the call whose outcome was recorded; every later call gets that outcome. */
  first: boolean;
}

/** Records of one kind: one outcome per reference, the first one given. */
export interface Ledger<T> {
  record(reference: string, outcome: T): Promise<Recorded<T>>;
  /** What was recorded for the reference, if anything was. */
  find(reference: string): Promise<T | undefined>;
}

/** Everything the test acquirer remembers, as a real acquirer remembers its transactions. */
export interface TestAcquirerLedgers {
  /** By payment id: the answer to the authorization. */
  authorizations: Ledger<AuthorizationResult>;
  /** By payment id: captured or voided, whichever the acquirer recorded first. */
  authorizationEnds: Ledger<AuthorizationEnd>;
  /**
   * By payment id, for the refund-failing test cards only: how every refund of the payment
   * fails. Written at authorization, because the card number is not kept for later.
   */
  refundFailures: Ledger<RefundFailure>;
  /** By refund id: the answer to the refund. */
  refunds: Ledger<RefundResult>;
}

/** For unit tests and tools: forgets everything when the process ends. */
export class InMemoryLedger<T> implements Ledger<T> {
  private readonly outcomes = new Map<string, T>();

  record(reference: string, outcome: T): Promise<Recorded<T>> {
    const recorded = this.outcomes.get(reference);
    if (recorded !== undefined) return Promise.resolve({ outcome: recorded, first: false });
    this.outcomes.set(reference, outcome);
    return Promise.resolve({ outcome, first: true });
  }

  find(reference: string): Promise<T | undefined> {
    return Promise.resolve(this.outcomes.get(reference));
  }
}

/** The tables of the test acquirer's records, all (reference, outcome, recorded_at). */
export type TestAcquirerTable =
  | 'test_acquirer_authorizations'
  | 'test_acquirer_authorization_ends'
  | 'test_acquirer_refund_failures'
  | 'test_acquirer_refunds';

/**
 * Kept in the service's database, standing in for the acquirer's own records, so its answers
 * survive restarts and are the same for every replica.
 */
export class PostgresLedger<T> implements Ledger<T> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly table: TestAcquirerTable,
  ) {}

  async record(reference: string, outcome: T): Promise<Recorded<T>> {
    const table = tableOf(this.dataSource, this.table);
    // A conflicting insert committed after this statement's snapshot is not visible to its
    // SELECT: then the next attempt, with a new snapshot, reads it.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [row] = await this.dataSource.query<{ outcome: T; first: boolean }[]>(
        `WITH inserted AS (
           INSERT INTO ${table} (reference, outcome) VALUES ($1, $2::jsonb)
           ON CONFLICT (reference) DO NOTHING
           RETURNING outcome)
         SELECT outcome, true AS first FROM inserted
         UNION ALL
         SELECT outcome, false AS first FROM ${table}
          WHERE reference = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
        [reference, JSON.stringify(outcome)],
      );
      if (row) return row;
    }
    throw new Error(`${this.table} has no outcome for ${reference}`);
  }

  async find(reference: string): Promise<T | undefined> {
    const [row] = await this.dataSource.query<{ outcome: T }[]>(
      `SELECT outcome FROM ${tableOf(this.dataSource, this.table)} WHERE reference = $1`,
      [reference],
    );
    return row?.outcome;
  }
}

export const inMemoryLedgers = (): TestAcquirerLedgers => ({
  authorizations: new InMemoryLedger(),
  authorizationEnds: new InMemoryLedger(),
  refundFailures: new InMemoryLedger(),
  refunds: new InMemoryLedger(),
});

export const postgresLedgers = (dataSource: DataSource): TestAcquirerLedgers => ({
  authorizations: new PostgresLedger(dataSource, 'test_acquirer_authorizations'),
  authorizationEnds: new PostgresLedger(dataSource, 'test_acquirer_authorization_ends'),
  refundFailures: new PostgresLedger(dataSource, 'test_acquirer_refund_failures'),
  refunds: new PostgresLedger(dataSource, 'test_acquirer_refunds'),
});
