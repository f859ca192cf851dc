import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type {
  PublicEventType,
  WebhookDeliveryStatus,
  WebhookEndpointStatus,
} from '@finfusion/contracts';
import { insertChannel, processListener, type ListenerLogger } from '@finfusion/event-store';
import { queryRows, tableOf } from '../database';
import { EndpointSecretEntity } from '../endpoints/endpoint-secret.entity';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import type { StoredSecret } from '../endpoints/secret-box';
import { ReceivedEventEntity } from '../intake/received-event.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity } from './delivery.entity';
import type { AttemptState, SettledDelivery } from './domain/delivery';

/** A delivery a worker holds the lease of, with what it needs to send it. */
export interface DeliveryJob {
  id: string;
  merchant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: PublicEventType;
  attempts: number;
  max_attempts: number;
  lease_token: string;
  url: string;
  endpoint_status: WebhookEndpointStatus;
  endpoint_deleted: boolean;
  body: string;
  /** The trace context the event was taken in under (tracing on). */
  traceparent: string | null;
  tracestate: string | null;
  /** Every secret that signs now, newest first, as stored (sealed). */
  secrets: StoredSecret[];
}

export interface AttemptRecord {
  attempt: number;
  attemptedAt: Date;
  outcome: 'succeeded' | 'failed';
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
}

export interface ClaimLimits {
  /** Deliveries to claim at most. */
  limit: number;
  /** Deliveries of one endpoint held at once, these included. */
  perEndpoint: number;
  /** Deliveries of one merchant held at once, these included. */
  perMerchant: number;
  leaseMs: number;
}

/**
 * The deliveries and their attempts. Workers claim due deliveries under a lease; every change a
 * worker makes later is conditional on still holding that lease (its token), so a worker that
 * lost its lease (it stalled past the lease) changes nothing.
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Leases due deliveries to the caller, fairly: merchants take turns, and within a merchant its
   * endpoints take turns. A delivery's turn counts what its merchant (or endpoint) already holds
   * in flight, on any replica, so a merchant with fewer attempts running goes first, and none
   * holds more than `perMerchant` (nor an endpoint more than `perEndpoint`). Within a turn the
   * oldest due goes first. SKIP LOCKED lets replicas claim side by side without waiting on each
   * other or taking the same row; the lease (not the row lock, which ends with this statement)
   * keeps a claimed delivery away from other workers while it is sent.
   */
  async claim(limits: ClaimLimits): Promise<DeliveryJob[]> {
    const deliveries = tableOf(this.manager, DeliveryEntity);
    const token = randomUUID();
    const claimed = await queryRows<{ id: string }>(
      this.manager,
      `WITH leased AS (
         SELECT endpoint_id, merchant_id FROM ${deliveries}
         WHERE status = 'pending' AND lease_until > now()
       ), endpoint_busy AS (
         SELECT endpoint_id, count(*) AS held FROM leased GROUP BY endpoint_id
       ), merchant_busy AS (
         SELECT merchant_id, count(*) AS held FROM leased GROUP BY merchant_id
       ), due AS (
         SELECT d.id, d.merchant_id, d.next_attempt_at,
                row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id)
                  + coalesce(endpoint_busy.held, 0) AS endpoint_turn
         FROM ${deliveries} d LEFT JOIN endpoint_busy ON endpoint_busy.endpoint_id = d.endpoint_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= now()
           AND (d.lease_until IS NULL OR d.lease_until <= now())
       ), turns AS (
         SELECT due.id, due.next_attempt_at,
                row_number() OVER (PARTITION BY due.merchant_id
                                   ORDER BY due.endpoint_turn, due.next_attempt_at, due.id)
                  + coalesce(merchant_busy.held, 0) AS merchant_turn
         FROM due LEFT JOIN merchant_busy ON merchant_busy.merchant_id = due.merchant_id
         WHERE due.endpoint_turn <= $2
       ), picked AS (
         SELECT d.id FROM ${deliveries} d
         WHERE d.id IN (
             SELECT id FROM turns WHERE merchant_turn <= $3
             ORDER BY merchant_turn, next_attempt_at, id
             LIMIT $1)
           AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until <= now())
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${deliveries} d
       SET lease_until = now() + $4::integer * interval '1 millisecond', lease_token = $5
       FROM picked WHERE d.id = picked.id
       RETURNING d.id`,
      [limits.limit, limits.perEndpoint, limits.perMerchant, limits.leaseMs, token],
    );
    if (claimed.length === 0) return [];
    return queryRows<DeliveryJob>(
      this.manager,
      `SELECT d.id, d.merchant_id, d.endpoint_id, d.event_id, d.event_type, d.attempts,
              d.max_attempts, d.lease_token, e.url, e.status AS endpoint_status,
              e.deleted_at IS NOT NULL AS endpoint_deleted, r.body, r.traceparent, r.tracestate,
              ARRAY(SELECT json_build_object('endpointId', s.endpoint_id, 'keyId', s.key_id,
                                             'secret', s.secret)
                    FROM ${tableOf(this.manager, EndpointSecretEntity)} s
                    WHERE s.endpoint_id = e.id AND (s.expires_at IS NULL OR s.expires_at > now())
                    ORDER BY s.created_at DESC, s.id DESC) AS secrets
       FROM ${deliveries} d
       JOIN ${tableOf(this.manager, EndpointEntity)} e ON e.id = d.endpoint_id
       JOIN ${tableOf(this.manager, ReceivedEventEntity)} r ON r.event_id = d.event_id
       WHERE d.id = ANY($1) AND d.lease_token = $2
       ORDER BY d.next_attempt_at`,
      [claimed.map((row) => row.id), token],
    );
  }

  /**
   * Milliseconds until a pending delivery that cannot be claimed yet can be: its next attempt
   * falls due, or the lease of a worker that stopped answering runs out; at most `recheckMs` while
   * one is due already. Undefined if none.
   */
  async msUntilNextDue(recheckMs: number): Promise<number | undefined> {
    const deliveries = tableOf(this.manager, DeliveryEntity);
    // Indexed minimums rather than one over every pending row, which a backlog makes long. A
    // delivery already due (it fell due after the claim that missed it, or its merchant or
    // endpoint is at its limit) is looked at again shortly, not at the next safety poll.
    const [row] = await queryRows<{ ms: number | null }>(
      this.manager,
      `SELECT (EXTRACT(EPOCH FROM least(
                 (SELECT min(next_attempt_at) FROM ${deliveries}
                   WHERE status = 'pending' AND next_attempt_at > now()),
                 (SELECT min(lease_until) FROM ${deliveries}
                   WHERE status = 'pending' AND lease_until > now()),
                 (SELECT now() + $1::integer * interval '1 millisecond' FROM ${deliveries}
                   WHERE status = 'pending' AND next_attempt_at <= now() LIMIT 1)
               ) - now()) * 1000)::integer AS ms`,
      [recheckMs],
    );
    return row?.ms ?? undefined;
  }

  /**
   * Calls `wake` after each commit that created deliveries, whichever replica took the event in
   * (the deliveries table's insert trigger notifies). Resolves once listening.
   */
  listenForNew(wake: () => void, logger: ListenerLogger): Promise<() => Promise<void>> {
    const schema = this.dataSource.driver.schema;
    if (schema === undefined) throw new Error('the webhooks data source must name its schema');
    return processListener(this.dataSource, logger).listen(
      insertChannel(schema, 'deliveries'),
      wake,
    );
  }

  /** Locks the delivery until the transaction ends; false when the caller no longer holds its lease. */
  async holdLease(manager: EntityManager, job: DeliveryJob): Promise<boolean> {
    const held = await queryRows(
      manager,
      `SELECT id FROM ${tableOf(manager, DeliveryEntity)}
       WHERE id = $1 AND lease_token = $2 FOR UPDATE`,
      [job.id, job.lease_token],
    );
    return held.length > 0;
  }

  /** Adds the attempt to the delivery's log and stores the delivery's new state, lease released. */
  async recordAttempt(
    manager: EntityManager,
    job: DeliveryJob,
    record: AttemptRecord,
    settled: SettledDelivery,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ${tableOf(manager, DeliveryAttemptEntity)}
         (delivery_id, attempt, attempted_at, outcome, http_status, duration_ms, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        job.id,
        record.attempt,
        record.attemptedAt,
        record.outcome,
        record.httpStatus,
        record.durationMs,
        record.error,
      ],
    );
    await manager.query(
      `UPDATE ${tableOf(manager, DeliveryEntity)}
       SET status = $2, attempts = $3, next_attempt_at = $4, lease_until = NULL,
           lease_token = NULL, last_attempted_at = $5, last_http_status = $6,
           last_duration_ms = $7, last_error = $8, updated_at = now()
       WHERE id = $1`,
      [
        job.id,
        settled.status,
        record.attempt,
        settled.nextAttemptAt,
        record.attemptedAt,
        record.httpStatus,
        record.durationMs,
        settled.error,
      ],
    );
  }

  /** Ends a claimed delivery without an attempt: its endpoint is disabled or deleted. */
  async failUnsent(job: DeliveryJob, reason: string): Promise<void> {
    await this.manager.query(
      `UPDATE ${tableOf(this.manager, DeliveryEntity)}
       SET status = 'failed', next_attempt_at = NULL, lease_until = NULL, lease_token = NULL,
           last_error = $3, updated_at = now()
       WHERE id = $1 AND lease_token = $2`,
      [job.id, job.lease_token, reason],
    );
  }

  /**
   * Fails the endpoint's pending deliveries that no worker holds, once it is disabled or deleted.
   * Held ones fail when their worker records the attempt and finds the endpoint inactive.
   */
  async failPending(manager: EntityManager, endpointId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE ${tableOf(manager, DeliveryEntity)}
       SET status = 'failed', next_attempt_at = NULL, lease_until = NULL, lease_token = NULL,
           last_error = $2, updated_at = now()
       WHERE endpoint_id = $1 AND status = 'pending'
         AND (lease_until IS NULL OR lease_until <= now())`,
      [endpointId, reason],
    );
  }

  /** One endpoint's deliveries, for `paginate`. */
  forEndpoint(
    merchantId: string,
    endpointId: string,
    status?: WebhookDeliveryStatus,
  ): SelectQueryBuilder<DeliveryEntity> {
    const query = this.dataSource
      .getRepository(DeliveryEntity)
      .createQueryBuilder('delivery')
      .where('delivery.merchant_id = :merchantId', { merchantId })
      .andWhere('delivery.endpoint_id = :endpointId', { endpointId });
    return status === undefined ? query : query.andWhere('delivery.status = :status', { status });
  }

  attemptsOf(deliveryIds: readonly string[]): Promise<AttemptState[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(DeliveryAttemptEntity)
      .createQueryBuilder('attempt')
      .where('attempt.delivery_id IN (:...ids)', { ids: deliveryIds })
      .orderBy('attempt.delivery_id')
      .addOrderBy('attempt.attempt')
      .getMany();
  }

  find(merchantId: string, endpointId: string, id: string): Promise<DeliveryEntity | null> {
    return this.manager.findOneBy(DeliveryEntity, {
      id,
      merchant_id: merchantId,
      endpoint_id: endpointId,
    });
  }

  /**
   * Makes a delivery due now. A finished one gets exactly one more attempt; a pending one keeps
   * its remaining attempts and is simply brought forward. One being sent right now is left alone.
   */
  async resend(delivery: DeliveryEntity): Promise<void> {
    await this.manager.query(
      `UPDATE ${tableOf(this.manager, DeliveryEntity)}
       SET max_attempts = CASE WHEN status = 'pending' THEN max_attempts ELSE attempts + 1 END,
           status = 'pending', next_attempt_at = now(), lease_until = NULL, lease_token = NULL,
           updated_at = now()
       WHERE id = $1 AND (lease_until IS NULL OR lease_until <= now())`,
      [delivery.id],
    );
  }
}
