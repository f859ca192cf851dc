import { DailyReportRules, type DailyReportPayload, type ErrorReply } from '@finfusion/contracts';
import { PaymentErrors } from '../../payment.errors';

type Parsed = { ok: true; value: DailyReportPayload } | { ok: false; reply: ErrorReply };

/** The report's parameters in the order checked; `currency` only when given. */
const Fields = ['from', 'to', 'currency'] as const;

/** payments.report-daily parameters, checked again here: the gateway is not the only sender. */
export function parseDailyReport(payload: unknown): Parsed {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  for (const field of Fields) {
    if (field === 'currency' && p.currency === undefined) continue;
    const problem = DailyReportRules[field](p[field], p);
    if (problem !== undefined) {
      return { ok: false, reply: PaymentErrors.invalidParam(field, problem.code, problem.message) };
    }
  }
  return {
    ok: true,
    value: {
      from: p.from as string,
      to: p.to as string,
      ...(p.currency !== undefined && { currency: p.currency as string }),
    },
  };
}
