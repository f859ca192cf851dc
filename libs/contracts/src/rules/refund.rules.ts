// The rules of the refunds requests, field by field: POST /v2/refunds (refunds.create).
import { RefundReasons } from '../refunds';
import { fieldProblem, ruleTable } from './field-rule';
import { oneOfRule } from './list.rules';
import { metadataRule } from './metadata.rules';
import { isPaymentId, partialAmountRule } from './payment.rules';

/** POST /v2/refunds (refunds.create), by field. */
export const CreateRefundRules = ruleTable({
  /** The payment to refund; whether the merchant has it is the service's to say (404). */
  payment: (value) =>
    isPaymentId(value) ? undefined : fieldProblem('payment must be a payment id (pay_…).'),

  /** Absent, all that is left to refund. */
  amount: partialAmountRule('amount'),

  reason: oneOfRule('reason', RefundReasons),

  /** As a payment's metadata: the same limits, and no card number (refunds are published too). */
  metadata: metadataRule({ code: 'invalid_metadata', refuseCardNumbers: true }),
});
