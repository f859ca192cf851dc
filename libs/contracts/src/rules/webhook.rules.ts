// The rules of the webhook endpoint requests. A URL's shape is checked here; whether its host
// leads somewhere a delivery may go (the SSRF guard) is the dispatcher's decision alone.
import {
  WEBHOOK_ALL_EVENTS,
  WebhookDeliveryStatuses,
  WebhookEndpointStatuses,
  WebhookEventSelectors,
  WebhookLimits,
} from '../webhooks';
import { fieldProblem, integerRule, ruleTable, type FieldRule } from './field-rule';
import { oneOfRule } from './list.rules';
import { metadataRule } from './metadata.rules';

/**
 * An absolute https URL without credentials, at most WebhookLimits.maxUrlLength long; http too
 * where the dispatcher's configuration allows it (the gateway leaves that to the dispatcher).
 */
export const webhookUrlRule =
  ({ allowHttp }: { allowHttp: boolean }): FieldRule =>
  (value) => {
    if (typeof value !== 'string') return fieldProblem('url must be a string.');
    if (value.length > WebhookLimits.maxUrlLength) {
      return fieldProblem(`url must be at most ${WebhookLimits.maxUrlLength} characters long.`);
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fieldProblem('url must be an absolute URL, such as https://example.com/webhooks.');
    }
    if (url.protocol === 'http:' && !allowHttp) return fieldProblem('url must use https.');
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return fieldProblem('url must be an https URL.');
    }
    if (url.username !== '' || url.password !== '') {
      // Credentials in a URL end up in logs; deliveries are authenticated by their signature.
      return fieldProblem(
        'url must not contain credentials; verify deliveries by their signature.',
      );
    }
    return url.hostname === '' ? fieldProblem('url must name a host.') : undefined;
  };

const selectors: readonly unknown[] = WebhookEventSelectors;
const selectorList = WebhookEventSelectors.map((selector) => `'${selector}'`).join(', ');

/** A non-empty list of public event types, or `['*']`; an unknown type is named by its index. */
export const webhookEventsRule: FieldRule = (value) => {
  if (!Array.isArray(value)) {
    return fieldProblem(`events must be a list of event types, or ['${WEBHOOK_ALL_EVENTS}'].`);
  }
  if (value.length === 0) {
    return fieldProblem(`events must list at least one event type, or ['${WEBHOOK_ALL_EVENTS}'].`);
  }
  if (value.length > WebhookEventSelectors.length) {
    return fieldProblem(`events can list at most ${WebhookEventSelectors.length} event types.`);
  }
  const items: readonly unknown[] = value;
  const unknown = items.findIndex((item) => !selectors.includes(item));
  if (unknown !== -1) {
    const message = `events.${unknown} is not an event type. Use one of ${selectorList}.`;
    return fieldProblem(message, 'parameter_invalid', String(unknown));
  }
  if (items.includes(WEBHOOK_ALL_EVENTS) && items.length > 1) {
    return fieldProblem(
      `'${WEBHOOK_ALL_EVENTS}' already selects every event type; list it alone.`,
      'parameter_invalid',
      String(items.indexOf(WEBHOOK_ALL_EVENTS)),
    );
  }
  return undefined;
};

/** The webhook endpoint requests' fields, by name. */
export const WebhookRules = ruleTable({
  events: webhookEventsRule,
  status: oneOfRule('status', WebhookEndpointStatuses),
  metadata: metadataRule(),
  /** Seconds the old secret keeps signing after a rotation: 0 to a week. */
  overlap_seconds: integerRule('overlap_seconds', 0, WebhookLimits.maxOverlapSeconds),
  outcome: oneOfRule('outcome', WebhookDeliveryStatuses),
});
