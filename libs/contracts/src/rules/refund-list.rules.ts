import { idPattern } from '../ids';
import { fieldProblem, ruleTable } from './field-rule';
import { idCursorRule, type CursorName } from './list.rules';

const refundCursor = (name: CursorName) => idCursorRule(name, 're', 'a refund id');

/** GET /v2/refunds filters (refunds.list), by their HTTP names. */
export const ListRefundsRules = ruleTable({
  starting_after: refundCursor('starting_after'),
  ending_before: refundCursor('ending_before'),
  payment: (value) =>
    typeof value === 'string' && idPattern('pay').test(value)
      ? undefined
      : fieldProblem('payment must be a payment id.'),
});
