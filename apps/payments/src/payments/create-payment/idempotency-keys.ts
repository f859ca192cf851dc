import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation, type RowWrite, tableOf } from '@finfusion/event-store';

const CONSTRAINT = 'idempotency_keys_merchant_key_unique';

/**
 * The payment each (merchant, Idempotency-Key) created. The row is inserted by the statement that
 * appends PaymentCreated, so the unique constraint, not a prior read, stops a second payment.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly dataSource: DataSource) {}

  async paymentFor(merchantId: string, key: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ payment_id: string }[]>(
      `SELECT payment_id FROM ${tableOf(this.dataSource, 'idempotency_keys')}
        WHERE merchant_id = $1 AND idempotency_key = $2`,
      [merchantId, key],
    );
    return row?.payment_id ?? null;
  }

  /**
   * The claim, written by the statement that appends PaymentCreated; that statement fails with a
   * unique violation (see `isTaken`) when the key already has a payment.
   */
  claimWrite(manager: EntityManager, merchantId: string, key: string, paymentId: string): RowWrite {
    return {
      table: tableOf(manager, 'idempotency_keys'),
      row: { payment_id: paymentId, merchant_id: merchantId, idempotency_key: key },
    };
  }

  static isTaken(error: unknown): boolean {
    return isUniqueViolation(error, CONSTRAINT);
  }
}
