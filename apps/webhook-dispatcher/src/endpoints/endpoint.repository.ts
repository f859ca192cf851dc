import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { WebhookDisabledReason } from '@finfusion/contracts';
import { MerchantScopedRepository } from '@finfusion/runtime';
import { queryRows, tableOf } from '../database';
import type { EndpointHealth } from './domain/endpoint-health';
import type { EndpointState } from './domain/endpoint';
import { EndpointSecretEntity } from './endpoint-secret.entity';
import { EndpointEntity } from './endpoint.entity';
import { SecretBox } from './secret-box';

/** Secrets sealed again per transaction by `resealSecrets`. */
const RESEAL_BATCH = 500;

/** The endpoints table and the signing secrets beside it, sealed at rest. */
@Injectable()
export class EndpointRepository extends MerchantScopedRepository<EndpointEntity> {
  constructor(
    dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {
    super(dataSource, EndpointEntity, 'endpoint');
  }

  /** The merchant's live endpoints, for `paginate`. */
  liveEndpoints(merchantId: string): SelectQueryBuilder<EndpointEntity> {
    return this.liveRows(merchantId);
  }

  /**
   * Serialises the merchant's endpoint creations until the transaction ends, so a count of its
   * endpoints stays true until the insert that relies on it commits.
   */
  async lockMerchant(manager: EntityManager, merchantId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `${tableOf(manager, EndpointEntity)}:${merchantId}`,
    ]);
  }

  async countLive(manager: EntityManager, merchantId: string): Promise<number> {
    const [row] = await queryRows<{ count: number }>(
      manager,
      `SELECT count(*)::integer AS count FROM ${tableOf(manager, EndpointEntity)}
       WHERE merchant_id = $1 AND deleted_at IS NULL`,
      [merchantId],
    );
    return row?.count ?? 0;
  }

  /**
   * Inserts a new endpoint with its first secret. Returns false, writing nothing, when the
   * merchant already created an endpoint with the same idempotency key.
   */
  async insert(manager: EntityManager, state: EndpointState, secret: string): Promise<boolean> {
    const inserted = await queryRows(
      manager,
      `INSERT INTO ${tableOf(manager, EndpointEntity)}
         (id, merchant_id, url, events, status, disabled_reason, metadata, failing_since,
          idempotency_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7::jsonb, $8, $9, $10, $11)
       ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
       RETURNING id`,
      [
        state.id,
        state.merchant_id,
        state.url,
        state.events,
        state.status,
        state.disabled_reason,
        JSON.stringify(state.metadata),
        state.failing_since,
        state.idempotency_key,
        state.created_at,
        state.updated_at,
      ],
    );
    if (inserted.length === 0) return false;
    await this.addSecret(manager, state.id, secret, state.created_at);
    return true;
  }

  /** Writes the mutable columns of an endpoint read (and locked) in the same transaction. */
  async save(manager: EntityManager, state: EndpointState): Promise<void> {
    await manager.update(
      EndpointEntity,
      { id: state.id },
      {
        url: state.url,
        events: state.events,
        status: state.status,
        disabled_reason: state.disabled_reason,
        metadata: state.metadata,
        failing_since: state.failing_since,
        updated_at: state.updated_at,
        deleted_at: state.deleted_at,
      },
    );
  }

  /** Ends the endpoint's run of failures, if it has one. */
  async clearFailures(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE ${tableOf(manager, EndpointEntity)} SET failing_since = NULL
       WHERE id = $1 AND failing_since IS NOT NULL`,
      [id],
    );
  }

  /** The endpoint's health, locked until the transaction ends; undefined when it does not exist. */
  async lockHealth(manager: EntityManager, id: string): Promise<EndpointHealth | undefined> {
    const [row] = await queryRows<EndpointHealth>(
      manager,
      `SELECT status, deleted_at IS NOT NULL AS deleted, failing_since AS "failingSince"
       FROM ${tableOf(manager, EndpointEntity)} WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async markFailing(manager: EntityManager, id: string, since: Date): Promise<void> {
    await manager.query(
      `UPDATE ${tableOf(manager, EndpointEntity)} SET failing_since = $2 WHERE id = $1`,
      [id, since],
    );
  }

  async disable(manager: EntityManager, id: string, reason: WebhookDisabledReason): Promise<void> {
    await manager.query(
      `UPDATE ${tableOf(manager, EndpointEntity)}
       SET status = 'disabled', disabled_reason = $2, updated_at = now()
       WHERE id = $1`,
      [id, reason],
    );
  }

  /** The newest secret that still signs. */
  async newestSecret(manager: EntityManager, endpointId: string): Promise<string | undefined> {
    const [row] = await queryRows<{ secret: string; key_id: string | null }>(
      manager,
      `SELECT secret, key_id FROM ${tableOf(manager, EndpointSecretEntity)}
       WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now())
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      [endpointId],
    );
    return row && this.secrets.open({ endpointId, keyId: row.key_id, secret: row.secret });
  }

  /**
   * Seals with the current key every secret stored in plaintext or under an older key, a batch
   * per transaction; replicas starting together share the work (SKIP LOCKED). Returns how many
   * it sealed. Throws, naming it, on a secret no configured key opens.
   */
  async resealSecrets(): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await this.dataSource.transaction(async (manager) => {
        const table = tableOf(manager, EndpointSecretEntity);
        const stale = await queryRows<{
          id: string;
          endpoint_id: string;
          key_id: string | null;
          secret: string;
        }>(
          manager,
          `SELECT id, endpoint_id, key_id, secret FROM ${table}
           WHERE key_id IS NULL OR key_id <> $1
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [this.secrets.currentKeyId, RESEAL_BATCH],
        );
        if (stale.length === 0) return 0;
        const resealed = stale.map((row) => {
          const endpointId = row.endpoint_id;
          const plain = this.secrets.open({ endpointId, keyId: row.key_id, secret: row.secret });
          return this.secrets.seal(endpointId, plain);
        });
        await manager.query(
          `UPDATE ${table} t SET secret = r.secret, key_id = r.key_id
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS r (id, secret, key_id)
           WHERE t.id = r.id`,
          [
            stale.map((row) => row.id),
            resealed.map((row) => row.secret),
            resealed.map((row) => row.keyId),
          ],
        );
        return stale.length;
      });
      total += sealed;
      if (sealed < RESEAL_BATCH) return total;
    }
  }

  /**
   * Adds `secret` as the endpoint's signing secret; the ones signing until now keep signing for
   * `overlapSeconds` more (0 stops them at once), never longer than they already would.
   */
  async rotateSecret(
    manager: EntityManager,
    endpointId: string,
    secret: string,
    now: Date,
    overlapSeconds: number,
  ): Promise<void> {
    const secrets = tableOf(manager, EndpointSecretEntity);
    const until = new Date(now.getTime() + overlapSeconds * 1000);
    await manager.query(`DELETE FROM ${secrets} WHERE endpoint_id = $1 AND expires_at <= $2`, [
      endpointId,
      now,
    ]);
    await manager.query(
      `UPDATE ${secrets} SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
       WHERE endpoint_id = $1`,
      [endpointId, until],
    );
    await this.addSecret(manager, endpointId, secret, now);
  }

  private async addSecret(
    manager: EntityManager,
    endpointId: string,
    secret: string,
    now: Date,
  ): Promise<void> {
    const sealed = this.secrets.seal(endpointId, secret);
    await manager.query(
      `INSERT INTO ${tableOf(manager, EndpointSecretEntity)}
         (endpoint_id, secret, key_id, created_at)
       VALUES ($1, $2, $3, $4)`,
      [endpointId, sealed.secret, sealed.keyId, now],
    );
  }
}
