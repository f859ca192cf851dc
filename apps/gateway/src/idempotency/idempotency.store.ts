import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ResponseSealer } from './response-sealer';

/** One POST as the idempotency record sees it. */
export interface IdempotentRequest {
  merchantId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export type ClaimOutcome =
  /** This request owns the key: it runs, then completes or releases the record. */
  | { kind: 'claimed'; lockId: string }
  /** The first request finished: answer with its response. */
  | { kind: 'completed'; status: number; body: string }
  /** The first request is still running. */
  | { kind: 'in_progress' }
  /** The key was used for another method, path or body. */
  | { kind: 'mismatch' };

export interface IdempotencyStoreOptions {
  /** How long a completed response is kept. */
  ttlHours: number;
  /** An in_progress record older than this belongs to a request that died: it can be taken over. */
  staleAfterMs: number;
  /** Encrypts the kept responses. */
  sealer: ResponseSealer;
}

interface RecordRow {
  method: string;
  path: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  /** Records written before responses were sealed. */
  response_body: string | null;
  response_key_id: string | null;
  response_sealed: Buffer | null;
}

/** The id of the resource a response body returned, if it is one (errors are not). */
function resourceIdOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** What a sealed body is bound to: its merchant and key. */
const sealingContext = (request: IdempotentRequest): string =>
  `${request.merchantId}\n${request.key}`;

/**
 * Idempotency records in Postgres. The claim is one INSERT … ON CONFLICT, so of two concurrent
 * first requests with one key exactly one proceeds; the database decides, not a prior read.
 */
export class IdempotencyStore {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: IdempotencyStoreOptions,
  ) {
    const schema = dataSource.driver.schema;
    if (schema === undefined) throw new Error('the gateway data source must name its schema');
    this.table = `"${schema}".idempotency_keys`;
  }

  async claim(request: IdempotentRequest): Promise<ClaimOutcome> {
    // A record may vanish between the two statements (released or swept): then claim again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const lockId = await this.tryClaim(request);
      if (lockId !== undefined) return { kind: 'claimed', lockId };
      const row = await this.find(request);
      if (!row) continue;
      if (
        row.method !== request.method ||
        row.path !== request.path ||
        row.request_hash !== request.requestHash
      ) {
        return { kind: 'mismatch' };
      }
      const body = this.bodyOf(row, request);
      if (row.state === 'completed' && row.response_status !== null && body !== undefined) {
        return { kind: 'completed', status: row.response_status, body };
      }
      return { kind: 'in_progress' };
    }
    return { kind: 'in_progress' };
  }

  /** Keeps the response for replay; false when this request no longer held the record. */
  async complete(
    request: IdempotentRequest,
    lockId: string,
    status: number,
    body: string,
  ): Promise<boolean> {
    const { keyId, sealed } = this.options.sealer.seal(body, sealingContext(request));
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE ${this.table}
          SET state = 'completed', response_status = $4, response_key_id = $5,
              response_sealed = $6, resource_id = $7
        WHERE merchant_id = $1 AND key = $2 AND lock_id = $3 AND state = 'in_progress'`,
      [request.merchantId, request.key, lockId, status, keyId, sealed, resourceIdOf(body)],
    );
    return affected > 0;
  }

  private bodyOf(row: RecordRow, request: IdempotentRequest): string | undefined {
    if (row.response_key_id !== null && row.response_sealed !== null) {
      return this.options.sealer.open(
        { keyId: row.response_key_id, sealed: row.response_sealed },
        sealingContext(request),
      );
    }
    return row.response_body ?? undefined;
  }

  /** Forgets the key, so the client's retry runs afresh (validation failures, 5xx). */
  async release(request: IdempotentRequest, lockId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ${this.table}
        WHERE merchant_id = $1 AND key = $2 AND lock_id = $3 AND state = 'in_progress'`,
      [request.merchantId, request.key, lockId],
    );
  }

  /**
   * Deletes the merchant's kept responses that returned the resource (a deleted customer's
   * creation, say), so nothing of it stays here until the records expire; returns how many went.
   * A retry with one of those keys then runs afresh.
   */
  async forgetResource(merchantId: string, resourceId: string): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM ${this.table}
        WHERE merchant_id = $1 AND state = 'completed'
          AND (resource_id = $2
               OR (resource_id IS NULL AND response_body IS NOT NULL
                   AND response_body ->> 'id' = $2))`,
      [merchantId, resourceId],
    );
    return affected;
  }

  /** Deletes expired records, a batch at a time; returns how many went. */
  async deleteExpired(batchSize = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected] = await this.dataSource.query<[unknown, number]>(
        `DELETE FROM ${this.table}
          WHERE (merchant_id, key) IN (
            SELECT merchant_id, key FROM ${this.table} WHERE expires_at <= now() LIMIT $1)`,
        [batchSize],
      );
      total += affected;
      if (affected < batchSize) return total;
    }
  }

  private async tryClaim(request: IdempotentRequest): Promise<string | undefined> {
    const lockId = randomUUID();
    // Takes the record over only when it has expired, or when it is the same request whose
    // first attempt died in progress (its process crashed): never a live or finished one.
    const rows = await this.dataSource.query<{ lock_id: string }[]>(
      `INSERT INTO ${this.table} AS k
              (merchant_id, key, method, path, request_hash, state, lock_id, locked_at,
               created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, now(), now(),
               now() + make_interval(hours => $7))
       ON CONFLICT (merchant_id, key) DO UPDATE
          SET method = EXCLUDED.method, path = EXCLUDED.path,
              request_hash = EXCLUDED.request_hash, state = 'in_progress',
              lock_id = EXCLUDED.lock_id, locked_at = now(), created_at = now(),
              expires_at = EXCLUDED.expires_at, response_status = NULL, response_body = NULL,
              response_key_id = NULL, response_sealed = NULL, resource_id = NULL
        WHERE k.expires_at <= now()
           OR (k.state = 'in_progress'
               AND k.locked_at <= now() - make_interval(secs => $8)
               AND k.method = EXCLUDED.method AND k.path = EXCLUDED.path
               AND k.request_hash = EXCLUDED.request_hash)
       RETURNING lock_id`,
      [
        request.merchantId,
        request.key,
        request.method,
        request.path,
        request.requestHash,
        lockId,
        this.options.ttlHours,
        this.options.staleAfterMs / 1000,
      ],
    );
    return rows[0]?.lock_id;
  }

  private async find(request: IdempotentRequest): Promise<RecordRow | undefined> {
    const rows = await this.dataSource.query<RecordRow[]>(
      `SELECT method, path, request_hash, state, response_status,
              response_body::text AS response_body, response_key_id, response_sealed
         FROM ${this.table}
        WHERE merchant_id = $1 AND key = $2 AND expires_at > now()`,
      [request.merchantId, request.key],
    );
    return rows[0];
  }
}
