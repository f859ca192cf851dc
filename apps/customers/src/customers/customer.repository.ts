import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { Customer, RequestMeta } from '@finfusion/contracts';
import {
  eventMetadata,
  EventStore,
  isUniqueViolation,
  newEvents,
  tableOf,
  type RowWrite,
} from '@finfusion/event-store';
import { MerchantScopedRepository } from '@finfusion/runtime';
import type { Decision } from './domain/customer';
import { customerInEvent } from './domain/customer.events';
import { CustomerEntity } from './customer.entity';

const IDEMPOTENCY_KEY_CONSTRAINT = 'customers_merchant_idempotency_key_unique';

/**
 * The customers table and the event log behind it. Every write stores the new state and appends
 * its event through the same transaction's manager, so a change and its event commit together.
 */
@Injectable()
export class CustomerRepository extends MerchantScopedRepository<CustomerEntity> {
  constructor(
    dataSource: DataSource,
    private readonly store: EventStore,
  ) {
    super(dataSource, CustomerEntity, 'customer');
  }

  /** The merchant's live customers, for `paginate`; `email` matches case-insensitively. */
  liveCustomers(merchantId: string, email?: string): SelectQueryBuilder<CustomerEntity> {
    const query = this.liveRows(merchantId);
    return email === undefined
      ? query
      : query.andWhere('lower(customer.email) = lower(:email)', { email });
  }

  /**
   * Inserts a new customer and appends its CustomerCreated, in one statement. Returns false,
   * writing nothing, when the merchant already has a customer created with the same idempotency
   * key; a concurrent duplicate waits on the unique constraint until the first commits or rolls
   * back.
   */
  async insert(manager: EntityManager, decision: Decision, meta: RequestMeta): Promise<boolean> {
    const { state } = decision;
    const row = {
      id: state.id,
      merchant_id: state.merchant_id,
      email: state.email,
      name: state.name,
      metadata: state.metadata,
      idempotency_key: state.idempotency_key,
      version: state.version,
      created_at: state.created_at,
      updated_at: state.updated_at,
    };
    try {
      await this.append(manager, decision, 0, meta, [
        { table: tableOf(manager, 'customers'), row },
      ]);
      return true;
    } catch (error) {
      if (isUniqueViolation(error, IDEMPOTENCY_KEY_CONSTRAINT)) return false;
      throw error;
    }
  }

  /**
   * The customer as its creation with the request's idempotency key returned it, from the log's
   * CustomerCreated, so a retried create answers what the first one answered.
   */
  async answeredToKey(manager: EntityManager, meta: RequestMeta): Promise<Customer | null> {
    const row = await this.createdWithKey(manager, meta);
    if (!row) return null;
    const [created] = await this.store.readStream(manager, row.id);
    return created ? customerInEvent(created.data) : null;
  }

  /** Stores a change decided on `previousVersion` (read under a row lock) and appends its event. */
  async save(
    manager: EntityManager,
    previousVersion: number,
    decision: Decision,
    meta: RequestMeta,
  ): Promise<void> {
    const { state } = decision;
    const result = await manager.update(
      CustomerEntity,
      { id: state.id, version: previousVersion },
      {
        email: state.email,
        name: state.name,
        metadata: state.metadata,
        version: state.version,
        updated_at: state.updated_at,
        deleted_at: state.deleted_at,
      },
    );
    if (result.affected !== 1) {
      throw new Error(`customer ${state.id} is no longer at version ${previousVersion}`);
    }
    await this.append(manager, decision, previousVersion, meta);
  }

  private async append(
    manager: EntityManager,
    { state, event }: Decision,
    expectedVersion: number,
    meta: RequestMeta,
    alongside: RowWrite[] = [],
  ): Promise<void> {
    // The change's time rides in the metadata: the customer in the event does not carry it.
    const metadata = eventMetadata(meta, state.updated_at);
    await this.store.append(
      manager,
      state.id,
      expectedVersion,
      newEvents([event], metadata),
      alongside,
    );
  }
}
