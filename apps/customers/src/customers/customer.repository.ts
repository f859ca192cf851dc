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
  type StoredEvent,
} from '@finfusion/event-store';
import { MerchantScopedRepository } from '@finfusion/runtime';
import type { Decision } from './domain/customer';
import type { CustomerChange } from './domain/customer.events';
import { CustomerEntity } from './customer.entity';
import { CustomerKeys } from './personal-data/customer-keys';
import { readChanges } from './personal-data/customer-log';
import type { PersonalDataCipher } from './personal-data/personal-data.cipher';
import {
  CUSTOMER_EVENT_SCHEMA_VERSION,
  sealedCustomerData,
} from './personal-data/stored-customer-data';

const IDEMPOTENCY_KEY_CONSTRAINT = 'customers_merchant_idempotency_key_unique';

/**
 * The customers table and the event log behind it. Every write stores the new state and appends
 * its event through the same transaction's manager, so a change and its event commit together.
 * The log keeps personal data sealed under the customer's data key (CustomerKeys); a deletion
 * destroys the key with the event that records it, so the log reads as erased from then on.
 */
@Injectable()
export class CustomerRepository extends MerchantScopedRepository<CustomerEntity> {
  constructor(
    dataSource: DataSource,
    private readonly store: EventStore,
    private readonly keys: CustomerKeys,
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
    const { cipher, write } = this.keys.newKey(manager, state.id, state.merchant_id);
    try {
      await this.append(manager, decision, 0, meta, cipher, [
        { table: tableOf(manager, 'customers'), row },
        write,
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
    if (!created) return null;
    const [change] = await this.changesOf(manager, [created]);
    return change?.data ?? null;
  }

  /** The changes stored events record, personal data erased where the customer was. */
  changesOf(manager: EntityManager, events: readonly StoredEvent[]): Promise<CustomerChange[]> {
    return readChanges(this.keys, manager, events);
  }

  /**
   * Stores a change decided on `previousVersion` (read under a row lock) and appends its event.
   * A deletion appends no personal data and destroys the customer's data key in the same
   * transaction; a change of a customer created before data keys gives it one.
   */
  async save(
    manager: EntityManager,
    previousVersion: number,
    decision: Decision,
    meta: RequestMeta,
  ): Promise<void> {
    const { state } = decision;
    let cipher: PersonalDataCipher | undefined;
    const alongside: RowWrite[] = [];
    if (state.deleted_at === null) {
      cipher = await this.keys.cipherOf(manager, state.id);
      if (cipher === undefined) {
        const fresh = this.keys.newKey(manager, state.id, state.merchant_id);
        cipher = fresh.cipher;
        alongside.push(fresh.write);
      }
    }
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
    await this.append(manager, decision, previousVersion, meta, cipher, alongside);
    if (state.deleted_at !== null) await this.keys.destroy(manager, state.id);
  }

  private async append(
    manager: EntityManager,
    { state, event }: Decision,
    expectedVersion: number,
    meta: RequestMeta,
    cipher: PersonalDataCipher | undefined,
    alongside: RowWrite[] = [],
  ): Promise<void> {
    // The change's time rides in the metadata: the customer in the event does not carry it.
    const metadata = eventMetadata(meta, state.updated_at);
    const stored = { type: event.type, data: sealedCustomerData(event.data, cipher) };
    await this.store.append(
      manager,
      state.id,
      expectedVersion,
      newEvents([stored], metadata, CUSTOMER_EVENT_SCHEMA_VERSION),
      alongside,
    );
  }
}
