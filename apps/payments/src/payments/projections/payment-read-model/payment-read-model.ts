import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Payment as PaymentResource, PaymentStatus } from '@finfusion/contracts';
import type { RowWrite } from '@finfusion/event-store';
import type { Payment } from '../../domain/payment';
import { toPaymentResource } from '../../payment.resource';
import { PaymentRow } from './payment-row.entity';
import { tableOf } from '@finfusion/event-store';

/**
 * Whether the row can hold the payment whole. The table has no columns yet for manual capture,
 * cancellation or refunds (they come with their migration, beside the handlers that make such
 * payments); until then a payment that has them is refused loudly rather than stored without
 * them, which GET would answer wrongly. Every other payment is an automatic one, never
 * refunded, and the row holds it exactly.
 */
export function rowHolds(payment: Payment): boolean {
  return (
    payment.captureMethod === 'automatic' &&
    payment.cancellation === null &&
    payment.refunds.length === 0
  );
}

/** The row of a payment at a stream version. */
export function toRow(payment: Payment, version: number): PaymentRow {
  if (!rowHolds(payment)) {
    throw new Error(
      `the payments read model cannot hold payment ${payment.id} yet: it has no columns for ` +
        'manual capture, cancellation or refunds',
    );
  }
  const { card } = payment.paymentMethod;
  return Object.assign(new PaymentRow(), {
    id: payment.id,
    merchant_id: payment.merchantId,
    status: payment.status,
    amount_value: payment.amount.value,
    currency: payment.amount.currency,
    payment_method_id: payment.paymentMethod.id,
    card_brand: card.brand,
    card_last4: card.last4,
    card_exp_month: card.expMonth,
    card_exp_year: card.expYear,
    card_fingerprint: card.fingerprint,
    customer_id: payment.customerId,
    failure_code: payment.failure?.code ?? null,
    failure_decline_code: payment.failure?.declineCode ?? null,
    failure_message: payment.failure?.message ?? null,
    metadata: payment.metadata,
    created_at: new Date(payment.createdAt),
    updated_at: new Date(payment.updatedAt),
    version,
  } satisfies PaymentRow);
}

/** The payment a row holds: `toRow` undone, so a row answers through the same mapper as a stream. */
export function fromRow(row: PaymentRow): Payment {
  return {
    status: row.status,
    id: row.id,
    merchantId: row.merchant_id,
    amount: { value: row.amount_value, currency: row.currency },
    // What `rowHolds` guarantees: automatic capture, in full once succeeded; never canceled or
    // refunded.
    captureMethod: 'automatic',
    amountCaptured: row.status === 'succeeded' ? row.amount_value : 0,
    captureBefore: null,
    cancellation: null,
    refunds: [],
    paymentMethod: {
      id: row.payment_method_id,
      card: {
        brand: row.card_brand,
        last4: row.card_last4,
        expMonth: row.card_exp_month,
        expYear: row.card_exp_year,
        fingerprint: row.card_fingerprint,
      },
    },
    customerId: row.customer_id,
    metadata: row.metadata,
    failure:
      row.failure_code === null
        ? null
        : {
            code: row.failure_code,
            ...(row.failure_decline_code !== null && { declineCode: row.failure_decline_code }),
            message: row.failure_message ?? '',
          },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The payment as the API returns it, from its row: the one mapper of the folded stream's. */
export const toResource = (row: PaymentRow): PaymentResource => toPaymentResource(fromRow(row));

const COLUMNS = [
  'id',
  'merchant_id',
  'status',
  'amount_value',
  'currency',
  'payment_method_id',
  'card_brand',
  'card_last4',
  'card_exp_month',
  'card_exp_year',
  'card_fingerprint',
  'customer_id',
  'failure_code',
  'failure_decline_code',
  'failure_message',
  'metadata',
  'created_at',
  'updated_at',
  'version',
] as const satisfies readonly (keyof PaymentRow)[];

export interface ListFilter {
  status?: PaymentStatus;
  customerId?: string;
  createdGte?: Date;
  createdLte?: Date;
}

/**
 * The `payments` read model. Written through the appending transaction's manager, so a payment
 * and its row commit together and GET reads its own writes.
 */
@Injectable()
export class PaymentReadModel {
  /**
   * The payment's row as of `version`, for the statement that appends the events leading to it;
   * a row already at that version or later is kept.
   */
  rowWrite(manager: EntityManager, payment: Payment, version: number): RowWrite {
    const updates = COLUMNS.filter((column) => column !== 'id').map(
      (column) => `${column} = EXCLUDED.${column}`,
    );
    return {
      table: tableOf(manager, 'payments'),
      row: toRow(payment, version),
      onConflict: `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE target.version < EXCLUDED.version`,
    };
  }

  /**
   * Stores the payment as of `version`; a row already at that version or later is kept. `into`
   * names another table of the same shape (a rebuild's).
   */
  async project(
    manager: EntityManager,
    payment: Payment,
    version: number,
    into = 'payments',
  ): Promise<void> {
    const row = toRow(payment, version);
    const table = tableOf(manager, into);
    const values = COLUMNS.map((column) =>
      column === 'metadata' ? JSON.stringify(row.metadata) : row[column],
    );
    const placeholders = COLUMNS.map((column, i) =>
      column === 'metadata' ? `$${i + 1}::jsonb` : `$${i + 1}`,
    );
    const updates = COLUMNS.filter((column) => column !== 'id').map(
      (column) => `${column} = EXCLUDED.${column}`,
    );
    await manager.query(
      `INSERT INTO ${table} AS p (${COLUMNS.join(', ')}) VALUES (${placeholders.join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE p.version < EXCLUDED.version`,
      values,
    );
  }

  /** Another merchant's payment is simply absent. */
  find(manager: EntityManager, merchantId: string, id: string): Promise<PaymentRow | null> {
    return manager.findOne(PaymentRow, { where: { id, merchant_id: merchantId } });
  }

  /** The merchant's payments matching the filter, for `paginate`. */
  list(
    manager: EntityManager,
    merchantId: string,
    filter: ListFilter,
  ): SelectQueryBuilder<PaymentRow> {
    const query = manager
      .getRepository(PaymentRow)
      .createQueryBuilder('payment')
      .where('payment.merchant_id = :merchantId', { merchantId });
    if (filter.status !== undefined) {
      query.andWhere('payment.status = :status', { status: filter.status });
    }
    if (filter.customerId !== undefined) {
      query.andWhere('payment.customer_id = :customerId', { customerId: filter.customerId });
    }
    if (filter.createdGte !== undefined) {
      query.andWhere('payment.created_at >= :gte', { gte: filter.createdGte });
    }
    if (filter.createdLte !== undefined) {
      query.andWhere('payment.created_at <= :lte', { lte: filter.createdLte });
    }
    return query;
  }
}
