// The rules of the events list (GET /v2/events, events.list), field by field.
import { PublicEventTypes } from '../events';
import { ruleTable } from './field-rule';
import { idCursorRule, oneOfRule, type CursorName } from './list.rules';
import { instantRule } from './payment.rules';

const eventCursor = (name: CursorName) => idCursorRule(name, 'evt', 'an event id');

/** GET /v2/events filters (events.list), by their HTTP names. */
export const ListEventsRules = ruleTable({
  starting_after: eventCursor('starting_after'),
  ending_before: eventCursor('ending_before'),
  type: oneOfRule('type', PublicEventTypes),
  'created[gte]': instantRule('created[gte]'),
  'created[lte]': instantRule('created[lte]'),
});
