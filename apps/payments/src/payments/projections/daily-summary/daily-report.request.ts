import {
  DAILY_REPORT_MAX_DAYS,
  isCurrencyCode,
  type DailyReportPayload,
  type ErrorReply,
} from '@finfusion/contracts';
import { PaymentErrors } from '../../payment.errors';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** A real calendar day, `YYYY-MM-DD`: 2026-02-30 is refused rather than rolled over. */
function dayOf(value: unknown): number | null {
  if (typeof value !== 'string' || !DAY.test(value)) return null;
  const time = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) return null;
  return time;
}

const bad = (param: string, message: string): { ok: false; reply: ErrorReply } => ({
  ok: false,
  reply: PaymentErrors.invalidParam(param, 'parameter_invalid', message),
});

export function parseDailyReport(
  payload: unknown,
): { ok: true; value: DailyReportPayload } | { ok: false; reply: ErrorReply } {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  const from = dayOf(p.from);
  if (from === null) return bad('from', 'from must be a UTC day, YYYY-MM-DD.');
  const to = dayOf(p.to);
  if (to === null) return bad('to', 'to must be a UTC day, YYYY-MM-DD.');
  if (to < from) return bad('to', 'to must not be before from.');
  if ((to - from) / MS_PER_DAY + 1 > DAILY_REPORT_MAX_DAYS) {
    return bad('to', `A report covers at most ${DAILY_REPORT_MAX_DAYS} days.`);
  }
  if (p.currency !== undefined && !isCurrencyCode(p.currency)) {
    return bad('currency', 'currency must be an ISO 4217 code in upper case, such as USD.');
  }
  return {
    ok: true,
    value: {
      from: p.from as string,
      to: p.to as string,
      ...(p.currency !== undefined && { currency: p.currency }),
    },
  };
}
