import {
  idPattern,
  PaymentStatuses,
  type ErrorReply,
  type ListParams,
  type PaymentStatus,
} from '@finfusion/contracts';
import type { ListFilter } from '../projections/payment-read-model/payment-read-model';
import { PaymentErrors } from '../payment.errors';

export interface ListPaymentsRequest {
  page: ListParams;
  filter: ListFilter;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

// ISO 8601 with a date and a time and an explicit zone: an instant, not a local time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const bad = (param: string, message: string): { ok: false; reply: ErrorReply } => ({
  ok: false,
  reply: PaymentErrors.invalidParam(param, 'parameter_invalid', message),
});

function instant(value: unknown): Date | null {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** payments.list parameters, checked again here: the gateway is not the only possible sender. */
export function parseListPayments(
  payload: unknown,
): { ok: true; value: ListPaymentsRequest } | { ok: false; reply: ErrorReply } {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  const limit = p.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return bad('limit', `limit must be an integer from 1 to ${MAX_LIMIT}.`);
  }
  const page: ListParams = { limit };
  for (const cursor of ['starting_after', 'ending_before'] as const) {
    const value = p[cursor];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !idPattern('pay').test(value)) {
      return bad(cursor, `${cursor} must be a payment id.`);
    }
    page[cursor] = value;
  }
  if (page.starting_after !== undefined && page.ending_before !== undefined) {
    return bad('ending_before', 'Use starting_after or ending_before, not both.');
  }

  const filter: ListFilter = {};
  if (p.status !== undefined) {
    if (!(PaymentStatuses as readonly unknown[]).includes(p.status)) {
      return bad('status', `status must be one of ${PaymentStatuses.join(', ')}.`);
    }
    filter.status = p.status as PaymentStatus;
  }
  if (p.customer !== undefined) {
    if (typeof p.customer !== 'string' || !idPattern('cust').test(p.customer)) {
      return bad('customer', 'customer must be a customer id.');
    }
    filter.customerId = p.customer;
  }
  if (p.created !== undefined) {
    const created = p.created as Record<string, unknown> | null;
    if (typeof created !== 'object' || created === null) {
      return bad('created', 'created must be an object with gte and/or lte.');
    }
    for (const bound of ['gte', 'lte'] as const) {
      if (created[bound] === undefined) continue;
      const at = instant(created[bound]);
      if (at === null) {
        return bad(
          `created.${bound}`,
          'Use an ISO 8601 date-time with a zone, such as 2026-03-15T00:00:00Z.',
        );
      }
      filter[bound === 'gte' ? 'createdGte' : 'createdLte'] = at;
    }
  }
  return { ok: true, value: { page, filter } };
}
