import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type {
  Payment as PaymentResource,
  PaymentStatus,
  Refund as RefundResource,
} from '@finfusion/contracts';
import { tableOf, type RowWrite } from '@finfusion/event-store';
import { amountRefunded, type Payment, type Refund } from '../../domain/payment';
import { toPaymentResource, toRefundResource } from '../../payment.resource';
import { PaymentRow } from './payment-row.entity';
import { RefundRow } from './refund-row.entity';

/** The row of a payment at a stream version. */
export function toRow(payment: Payment, version: number): PaymentRow {
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
    capture_method: payment.captureMethod,
    amount_captured: payment.amountCaptured,
    amount_refunded: amountRefunded(payment),
    capture_before: payment.captureBefore === null ? null : new Date(payment.captureBefore),
    canceled_at: payment.cancellation === null ? null : new Date(payment.cancellation.canceledAt),
    cancellation_reason: payment.cancellation?.reason ?? null,
    refunds: payment.refunds,
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
    captureMethod: row.capture_method,
    amountCaptured: row.amount_captured,
    captureBefore: row.capture_before?.toISOString() ?? null,
    cancellation:
      row.canceled_at === null
        ? null
        : { reason: row.cancellation_reason, canceledAt: row.canceled_at.toISOString() },
    refunds: row.refunds,
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

/** The row of one of the payment's refunds at the payment stream's version. */
export function toRefundRow(payment: Payment, refund: Refund, version: number): RefundRow {
  return Object.assign(new RefundRow(), {
    id: refund.id,
    payment_id: payment.id,
    merchant_id: payment.merchantId,
    status: refund.status,
    amount_value: refund.amount,
    currency: payment.amount.currency,
    reason: refund.reason,
    failure_code: refund.failure?.code ?? null,
    failure_message: refund.failure?.message ?? null,
    metadata: refund.metadata,
    created_at: new Date(refund.createdAt),
    updated_at: new Date(refund.updatedAt),
    version,
  } satisfies RefundRow);
}

/** The refund a row holds: `toRefundRow` undone. */
export function fromRefundRow(row: RefundRow): Refund {
  return {
    id: row.id,
    amount: row.amount_value,
    status: row.status,
    reason: row.reason,
    metadata: row.metadata,
    failure:
      row.failure_code === null
        ? null
        : { code: row.failure_code, message: row.failure_message ?? '' },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The refunds the latest events changed: each refund event stamps its refund and the payment with
 * the same instant, so the others need no write.
 */
export const refundsChangedLast = (payment: Payment): Refund[] =>
  payment.refunds.filter((refund) => refund.updatedAt === payment.updatedAt);

/** The payment as the API returns it, from its row: the one mapper of the folded stream's. */
export const toResource = (row: PaymentRow): PaymentResource => toPaymentResource(fromRow(row));

/** The refund as the API returns it, from its row: the mapper of the refund events' too. */
export const toRefundResourceOf = (row: RefundRow): RefundResource =>
  toRefundResource({ id: row.payment_id, amount: { currency: row.currency } }, fromRefundRow(row));

/** Where a payment's rows go: the live tables, or a rebuild's tables of the same shape. */
export interface ReadModelTables {
  payments: string;
  refunds: string;
}

const LIVE: ReadModelTables = { payments: 'payments', refunds: 'refunds' };

/** Replaces a row by a later version of it; one at that version or later is kept. */
const upsertOf = (row: object, alias: string): string => {
  const updates = Object.keys(row)
    .filter((column) => column !== 'id')
    .map((column) => `${column} = EXCLUDED.${column}`);
  return `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE ${alias}.version < EXCLUDED.version`;
};

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
   * The payment's row as of `version`, and the rows of the refunds its latest events changed, for
   * the statement that appends those events; rows already at that version or later are kept.
   */
  rowWrites(manager: EntityManager, payment: Payment, version: number): RowWrite[] {
    return this.rowsOf(payment, version, refundsChangedLast(payment)).map(({ table, row }) => ({
      table: tableOf(manager, table),
      row,
      onConflict: upsertOf(row, 'target'),
    }));
  }

  /**
   * Stores the payment as of `version` and each refund as of the version of its last event
   * (`refundVersions`, as the live writes left them); rows already at that version or later are
   * kept. `into` names other tables of the same shapes (a rebuild's).
   */
  async project(
    manager: EntityManager,
    payment: Payment,
    version: number,
    refundVersions: ReadonlyMap<string, number>,
    into: ReadModelTables = LIVE,
  ): Promise<void> {
    const rows = [
      { table: into.payments, row: toRow(payment, version) as object },
      ...payment.refunds.map((refund) => ({
        table: into.refunds,
        row: toRefundRow(payment, refund, refundVersions.get(refund.id) ?? version),
      })),
    ];
    for (const { table, row } of rows) {
      const target = tableOf(manager, table);
      const columns = Object.keys(row).join(', ');
      await manager.query(
        `INSERT INTO ${target} AS target (${columns})
         SELECT ${columns} FROM jsonb_populate_record(NULL::${target}, $1::jsonb)
         ${upsertOf(row, 'target')}`,
        [JSON.stringify(row)],
      );
    }
  }

  private rowsOf(
    payment: Payment,
    version: number,
    refunds: readonly Refund[],
  ): { table: string; row: PaymentRow | RefundRow }[] {
    return [
      { table: LIVE.payments, row: toRow(payment, version) },
      ...refunds.map((refund) => ({
        table: LIVE.refunds,
        row: toRefundRow(payment, refund, version),
      })),
    ];
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

  /** Another merchant's refund is simply absent. */
  findRefund(manager: EntityManager, merchantId: string, id: string): Promise<RefundRow | null> {
    return manager.findOne(RefundRow, { where: { id, merchant_id: merchantId } });
  }

  /** The merchant's refunds, of one payment if `paymentId` is given, for `paginate`. */
  listRefunds(
    manager: EntityManager,
    merchantId: string,
    paymentId?: string,
  ): SelectQueryBuilder<RefundRow> {
    const query = manager
      .getRepository(RefundRow)
      .createQueryBuilder('refund')
      .where('refund.merchant_id = :merchantId', { merchantId });
    if (paymentId !== undefined) {
      query.andWhere('refund.payment_id = :paymentId', { paymentId });
    }
    return query;
  }
}
