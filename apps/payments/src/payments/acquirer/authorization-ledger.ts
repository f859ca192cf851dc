import type { DataSource } from 'typeorm';
import type { AuthorizationResult } from '../domain/payment.decider';
import { tableOf } from '@finfusion/event-store';

/** The answer an acquirer keeps for one idempotency reference. */
export interface RecordedAuthorization {
  outcome: AuthorizationResult;
  /** True only for the call whose outcome was recorded; every later call gets that outcome. */
  first: boolean;
}

/** The test acquirer's own records: one outcome per reference, the first one given. */
export interface AuthorizationLedger {
  record(reference: string, outcome: AuthorizationResult): Promise<RecordedAuthorization>;
}

/** For unit tests and tools: forgets everything when the process ends. */
export class InMemoryAuthorizationLedger implements AuthorizationLedger {
  private readonly outcomes = new Map<string, AuthorizationResult>();

  record(reference: string, outcome: AuthorizationResult): Promise<RecordedAuthorization> {
    const recorded = this.outcomes.get(reference);
    if (recorded !== undefined) return Promise.resolve({ outcome: recorded, first: false });
    this.outcomes.set(reference, outcome);
    return Promise.resolve({ outcome, first: true });
  }
}

/**
 * Kept in the service's database (table test_acquirer_authorizations), standing in for the
 * acquirer's own records, so its answers survive restarts and are the same for every replica.
 */
export class PostgresAuthorizationLedger implements AuthorizationLedger {
  constructor(private readonly dataSource: DataSource) {}

  async record(reference: string, outcome: AuthorizationResult): Promise<RecordedAuthorization> {
    const table = tableOf(this.dataSource, 'test_acquirer_authorizations');
    // A conflicting insert committed after this statement's snapshot is not visible to its
    // SELECT: then the next attempt, with a new snapshot, reads it.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [row] = await this.dataSource.query<{ outcome: AuthorizationResult; first: boolean }[]>(
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
    throw new Error(`the authorization ledger has no outcome for ${reference}`);
  }
}
