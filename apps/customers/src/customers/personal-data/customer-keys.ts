import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseKeyRing, RingSealer } from '@finfusion/config';
import { tableOf, type RowWrite } from '@finfusion/event-store';
import { CustomersConfig } from '../../config';
import { newDataKey, PersonalDataCipher } from './personal-data.cipher';
import type { StreamAccess } from './stored-customer-data';

/** The table of the customers' data keys; deleting a row erases that customer's sealed data. */
export const CUSTOMER_KEYS_TABLE = 'customer_keys';

interface KeyRow {
  id: string;
  deleted: boolean | null;
  kek_id: string | null;
  wrapped_key: Buffer | null;
}

/**
 * Each customer's data key, kept wrapped (AES-256-GCM) under PERSONAL_DATA_KEYS, so a copy of
 * the database alone opens no customer's data. Written once, read, and deleted with the customer.
 */
@Injectable()
export class CustomerKeys {
  private readonly wrapping: RingSealer;

  constructor(config: CustomersConfig) {
    this.wrapping = new RingSealer(parseKeyRing(config.PERSONAL_DATA_KEYS), 'PERSONAL_DATA_KEYS');
  }

  /** A new data key for the customer and its row, to write in the statement that creates it. */
  newKey(
    manager: EntityManager,
    customerId: string,
    merchantId: string,
  ): { cipher: PersonalDataCipher; write: RowWrite } {
    const key = newDataKey();
    const { keyId, sealed } = this.wrapping.seal(key.toString('base64'), wrapContext(customerId));
    return {
      cipher: new PersonalDataCipher(customerId, key),
      write: {
        table: tableOf(manager, CUSTOMER_KEYS_TABLE),
        row: {
          customer_id: customerId,
          merchant_id: merchantId,
          kek_id: keyId,
          wrapped_key: `\\x${sealed.toString('hex')}`,
        },
      },
    };
  }

  /** What reading each stream needs: its key, if it still has one, and whether it is deleted. */
  async accessTo(
    manager: EntityManager,
    customerIds: readonly string[],
  ): Promise<Map<string, StreamAccess>> {
    const rows = await manager.query<KeyRow[]>(
      `SELECT s.id, c.deleted_at IS NOT NULL AS deleted, k.kek_id, k.wrapped_key
         FROM unnest($1::text[]) AS s (id)
         LEFT JOIN ${tableOf(manager, 'customers')} c ON c.id = s.id
         LEFT JOIN ${tableOf(manager, CUSTOMER_KEYS_TABLE)} k ON k.customer_id = s.id`,
      [[...new Set(customerIds)]],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          deleted: row.deleted === true,
          ...(row.kek_id !== null &&
            row.wrapped_key !== null && {
              cipher: this.unwrap(row.id, row.kek_id, row.wrapped_key),
            }),
        },
      ]),
    );
  }

  /** The customer's cipher, or undefined when it has no key (erased, or created before keys). */
  async cipherOf(
    manager: EntityManager,
    customerId: string,
  ): Promise<PersonalDataCipher | undefined> {
    return (await this.accessTo(manager, [customerId])).get(customerId)?.cipher;
  }

  /** Crypto-shreds the customer: every copy sealed under its key becomes unreadable. */
  async destroy(manager: EntityManager, customerId: string): Promise<void> {
    await manager.query(
      `DELETE FROM ${tableOf(manager, CUSTOMER_KEYS_TABLE)} WHERE customer_id = $1`,
      [customerId],
    );
  }

  private unwrap(customerId: string, kekId: string, wrapped: Buffer): PersonalDataCipher {
    const key = this.wrapping.open({ keyId: kekId, sealed: wrapped }, wrapContext(customerId));
    return new PersonalDataCipher(customerId, Buffer.from(key, 'base64'));
  }
}

const wrapContext = (customerId: string): string => `customer data key\n${customerId}`;
