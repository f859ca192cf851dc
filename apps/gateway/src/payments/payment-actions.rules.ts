// The rules of the bodies that act on a payment (capture, cancel, refund) and of the refunds
// list, field by field, built from the contracts' rule helpers so that they word and code a
// problem as every other field of the API does. The payments service checks the same fields
// again; the state of the payment (what is left to capture or refund) only it can judge.
import {
  CaptureMethods,
  fieldProblem,
  idCursorRule,
  idPattern,
  MAX_AMOUNT,
  metadataRule,
  MIN_AMOUNT,
  oneOfRule,
  RefundReasons,
  RequestedCancellationReasons,
  ruleTable,
  type FieldRule,
} from '@finfusion/contracts';

/** An amount in the payment's currency's minor unit, within the API's limits. */
const minorAmountRule =
  (name: string): FieldRule =>
  (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return fieldProblem(`${name} must be an integer in the currency's minor unit.`);
    }
    if (value < MIN_AMOUNT) {
      return fieldProblem(`${name} must be at least ${MIN_AMOUNT}.`, 'amount_too_small');
    }
    if (value > MAX_AMOUNT) {
      return fieldProblem(`${name} must be at most ${MAX_AMOUNT}.`, 'amount_too_large');
    }
    return undefined;
  };

/**
 * A payment id. One of the wrong shape is refused as invalid; a well-formed id that is none of
 * the merchant's payments is the service's 404.
 */
const paymentIdRule =
  (name: string): FieldRule =>
  (value) =>
    typeof value === 'string' && idPattern('pay').test(value)
      ? undefined
      : fieldProblem(`${name} must be a payment id (pay_…).`);

/** POST /v2/payments: the field the create rules of libs/contracts do not cover. */
export const CaptureMethodRule: FieldRule = oneOfRule('capture_method', CaptureMethods);

/** POST /v2/payments/{id}/capture. */
export const CapturePaymentRules = ruleTable({
  amount_to_capture: minorAmountRule('amount_to_capture'),
});

/** POST /v2/payments/{id}/cancel. */
export const CancelPaymentRules = ruleTable({
  cancellation_reason: oneOfRule('cancellation_reason', RequestedCancellationReasons),
});

/** POST /v2/refunds. */
export const CreateRefundRules = ruleTable({
  payment: paymentIdRule('payment'),
  amount: minorAmountRule('amount'),
  reason: oneOfRule('reason', RefundReasons),
  /** Published with the refund's events, as a payment's metadata is: no card numbers. */
  metadata: metadataRule({ code: 'invalid_metadata', refuseCardNumbers: true }),
});

/** GET /v2/refunds. */
export const ListRefundsRules = ruleTable({
  starting_after: idCursorRule('starting_after', 're', 'a refund id'),
  ending_before: idCursorRule('ending_before', 're', 'a refund id'),
  payment: paymentIdRule('payment'),
});
