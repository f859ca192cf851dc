import type { PaymentStatus } from '@finfusion/contracts';
import { isPayment, type PaymentState } from '../../domain/payment';

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
  volume: number;
}

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
 * now. Each payment is counted once, in its current status, on the day it was created.
 */
export function summaryChanges(before: PaymentState, after: PaymentState): SummaryChange[] {
  const from = cellOf(before);
  const to = cellOf(after);
  if (from !== null && to !== null && keyOf(from) === keyOf(to)) return [];
  const changes: SummaryChange[] = [];
  if (from !== null && isPayment(before)) {
    changes.push({ ...from, count: -1, volume: -before.amount.value });
  }
  if (to !== null && isPayment(after)) {
    changes.push({ ...to, count: 1, volume: after.amount.value });
  }
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
          }
        : { ...change },
    );
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}
