// The rules of the refunds requests, field by field: POST /v2/refunds (refunds.create) and
// GET /v2/refunds (refunds.list).
import { RefundReasons } from '../refunds';
import { fieldProblem, ruleTable, type FieldRule } from './field-rule';
import { idCursorRule, oneOfRule } from './list.rules';
import { metadataRule } from './metadata.rules';
import { isPaymentId, partialAmountRule } from './payment.rules';

/** POST /v2/refunds (refunds.create), by field. */
/** A payment named by a request; whether the merchant has it is the service's to say (404). */
const paymentRule: FieldRule = (value) =>
  isPaymentId(value) ? undefined : fieldProblem('payment must be a payment id (pay_…).');

export const CreateRefundRules = ruleTable({
  payment: paymentRule,

  /** Absent, all that is left to refund. */
  amount: partialAmountRule('amount'),

  reason: oneOfRule('reason', RefundReasons),

  /** As a payment's metadata: the same limits, and no card number (refunds are published too). */
  metadata: metadataRule({ code: 'invalid_metadata', refuseCardNumbers: true }),
});

/** GET /v2/refunds filters (refunds.list), by their HTTP names. */
export const ListRefundsRules = ruleTable({
  starting_after: idCursorRule('starting_after', 're', 'a refund id'),
  ending_before: idCursorRule('ending_before', 're', 'a refund id'),
  payment: paymentRule,
});
