import {
  isPaymentId,
  isPlainObject,
  missingParameter,
  paramOf,
  unknownParameter,
  type FieldRule,
} from '@finfusion/contracts';
import type { Parsed } from './create-payment/create-payment.request';
import { PaymentErrors, type PaymentAction } from './payment.errors';

/**
 * A flat payload's fields, each checked by its rule (libs/contracts) in the order given, as the
 * gateway checks them: absent and null are the same, a field with no rule is refused, and the
 * first problem is the 400 naming the field. Only the fields present come back.
 */
export function readFields<F extends string>(
  payload: unknown,
  rules: Readonly<Record<F, FieldRule>>,
  required: readonly NoInfer<F>[] = [],
): Parsed<Partial<Record<F, unknown>>> {
  const refuse = (
    param: string,
    problem: { code: Parameters<typeof PaymentErrors.invalidParam>[1]; message: string },
  ) => ({
    ok: false as const,
    reply: PaymentErrors.invalidParam(param, problem.code, problem.message),
  });
  if (!isPlainObject(payload)) {
    return refuse('body', {
      code: 'parameter_invalid',
      message: 'The request body must be an object.',
    });
  }
  const fields = Object.keys(rules) as F[];
  const unknown = Object.keys(payload).find((key) => !(fields as string[]).includes(key));
  if (unknown !== undefined) {
    const problem = unknownParameter(unknown);
    return refuse(problem.param ?? 'body', problem);
  }
  const value: Partial<Record<F, unknown>> = {};
  for (const field of fields) {
    const given = payload[field];
    if (given === undefined || given === null) {
      if (required.includes(field)) return refuse(field, missingParameter(field));
      continue;
    }
    const problem = rules[field](given, payload);
    if (problem !== undefined) return refuse(paramOf(field, problem), problem);
    value[field] = given;
  }
  return { ok: true, value };
}

/**
 * A payload about one payment named by `id` (from the path): the id, and the other fields. An id
 * that cannot be a payment's is no payment of the merchant's either: 404, as an unknown one.
 */
export function splitPaymentId(
  payload: unknown,
  action: PaymentAction,
): Parsed<{ paymentId: string; body: Record<string, unknown> }> {
  const { id, ...body } = isPlainObject(payload) ? payload : {};
  if (!isPaymentId(id)) return { ok: false, reply: PaymentErrors.noSuchPayment(action) };
  return { ok: true, value: { paymentId: id, body } };
}
