import type { PaymentStatus } from '@finfusion/contracts';
import { amountRefunded, isPayment, type PaymentState } from '../../domain/payment';

/** One cell of the summary: a merchant's payments of one UTC creation day, currency and status. */
export interface SummaryCell {
  merchantId: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  currency: string;
  status: PaymentStatus;
}

export interface SummaryChange extends SummaryCell {
  count: number;
  /** Sum of the payments' amounts. */
  volume: number;
  /** Sum of what the payments captured. */
  captured: number;
  /** Sum of what their succeeded refunds gave back. */
  refunded: number;
}

/** What one payment adds to its cell. */
const contributionOf = (state: PaymentState) =>
  isPayment(state)
    ? {
        count: 1,
        volume: state.amount.value,
        captured: state.amountCaptured,
        refunded: amountRefunded(state),
      }
    : null;

const cellOf = (state: PaymentState): SummaryCell | null =>
  isPayment(state)
    ? {
        merchantId: state.merchantId,
        // createdAt is an ISO string in UTC (Date.toISOString), so its date part is the UTC day.
        day: state.createdAt.slice(0, 10),
        currency: state.amount.currency,
        status: state.status,
      }
    : null;

const keyOf = (cell: SummaryCell): string =>
  `${cell.merchantId}|${cell.day}|${cell.currency}|${cell.status}`;

/**
 * How one event moves a payment between cells: out of the cell it was in, into the one it is in
 * now. Each payment is counted once, in its current status, on the day it was created; a capture
 * or refund that leaves it in its cell changes the cell's captured or refunded sums.
 */
export function summaryChanges(before: PaymentState, after: PaymentState): SummaryChange[] {
  const from = cellOf(before);
  const to = cellOf(after);
  const was = contributionOf(before);
  const is = contributionOf(after);
  if (from !== null && to !== null && was !== null && is !== null && keyOf(from) === keyOf(to)) {
    if (was.captured === is.captured && was.refunded === is.refunded) return [];
    return [
      {
        ...to,
        count: 0,
        volume: 0,
        captured: is.captured - was.captured,
        refunded: is.refunded - was.refunded,
      },
    ];
  }
  const changes: SummaryChange[] = [];
  if (from !== null && was !== null) {
    // `0 - x`, not `-x`: a zero taken out stays 0, not -0.
    changes.push({
      ...from,
      count: 0 - was.count,
      volume: 0 - was.volume,
      captured: 0 - was.captured,
      refunded: 0 - was.refunded,
    });
  }
  if (to !== null && is !== null) changes.push({ ...to, ...is });
  return changes;
}

/** One change per cell, summed, in a stable order (the upsert touches each row once). */
export function mergeChanges(changes: readonly SummaryChange[]): SummaryChange[] {
  const merged = new Map<string, SummaryChange>();
  for (const change of changes) {
    const key = keyOf(change);
    const current = merged.get(key);
    merged.set(
      key,
      current
        ? {
            ...current,
            count: current.count + change.count,
            volume: current.volume + change.volume,
            captured: current.captured + change.captured,
            refunded: current.refunded + change.refunded,
          }
        : { ...change },
    );
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}
