import {
  Column,
  DataSource,
  IsNull,
  PrimaryColumn,
  type EntityManager,
  type FindOptionsWhere,
  type SelectQueryBuilder,
} from 'typeorm';
import type { Metadata, RequestMeta } from '@finfusion/contracts';

/** A time column to the millisecond, as the API shows times. */
const Timestamp = (options: { nullable?: boolean } = {}): PropertyDecorator =>
  Column({ type: 'timestamptz', precision: 3, ...options });

/**
 * The columns of a resource a merchant owns and may soft-delete (a customer, a webhook endpoint).
 * Property names are the column names: list pagination orders by `created_at` and `id`.
 */
export abstract class MerchantOwnedEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  merchant_id!: string;

  @Column({ type: 'jsonb' })
  metadata!: Metadata;

  @Column({ type: 'text', nullable: true })
  idempotency_key!: string | null;

  @Timestamp()
  created_at!: Date;

  @Timestamp()
  updated_at!: Date;

  @Timestamp({ nullable: true })
  deleted_at!: Date | null;
}

/**
 * Reads of merchant-owned rows that never cross merchants and never see a deleted row; the
 * resource's repository extends it with its own writes.
 */
export abstract class MerchantScopedRepository<Entity extends MerchantOwnedEntity> {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly entity: new () => Entity,
    /** The query builder's alias of a row (`customer`, `endpoint`). */
    private readonly alias: string,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A row of this merchant that is not deleted; another merchant's id is simply absent. */
  findLive(merchantId: string, id: string): Promise<Entity | null> {
    return this.manager.findOne(this.entity, { where: this.live(merchantId, id) });
  }

  /**
   * Changes a row of this merchant that is not deleted: `change` runs in one transaction with the
   * row locked until it commits, so concurrent changes apply one after another, each to the
   * previous one's result. Null, running nothing, when there is no such row.
   */
  changeLive<R>(
    merchantId: string,
    id: string,
    change: (row: Entity, manager: EntityManager) => Promise<R>,
  ): Promise<R | null> {
    return this.transaction(async (manager) => {
      const row = await manager.findOne(this.entity, {
        where: this.live(merchantId, id),
        lock: { mode: 'pessimistic_write' },
      });
      return row ? change(row, manager) : null;
    });
  }

  /**
   * The row, deleted or not, that this merchant's create with the request's idempotency key made;
   * null when the request has no key or nothing was created with it.
   */
  createdWithKey(
    manager: EntityManager,
    { merchantId, idempotencyKey }: RequestMeta,
  ): Promise<Entity | null> {
    if (idempotencyKey === undefined) return Promise.resolve(null);
    const where = { merchant_id: merchantId, idempotency_key: idempotencyKey };
    return manager.findOne(this.entity, { where: where as FindOptionsWhere<Entity> });
  }

  private live(merchantId: string, id: string): FindOptionsWhere<Entity> {
    const where = { id, merchant_id: merchantId, deleted_at: IsNull() };
    return where as FindOptionsWhere<Entity>;
  }

  /** The merchant's rows that are not deleted, for `paginate`. */
  protected liveRows(merchantId: string): SelectQueryBuilder<Entity> {
    return this.dataSource
      .getRepository(this.entity)
      .createQueryBuilder(this.alias)
      .where(`${this.alias}.merchant_id = :merchantId`, { merchantId })
      .andWhere(`${this.alias}.deleted_at IS NULL`);
  }
}
