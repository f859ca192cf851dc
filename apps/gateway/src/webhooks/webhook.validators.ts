import { registerDecorator, type ValidationOptions } from 'class-validator';
import { WEBHOOK_ALL_EVENTS, WebhookEventSelectors, WebhookLimits } from '@finfusion/contracts';
import type { ProblemLocator } from '../validation/validation-errors';

// The gateway checks a webhook URL's shape only. Whether http is allowed and where the host leads
// (the SSRF guard) is the dispatcher's decision, which it answers as a 400 naming `url`.

export const IS_WEBHOOK_URL = 'isWebhookUrl';
export const IS_WEBHOOK_EVENTS = 'isWebhookEvents';

export interface InputProblem {
  /** The index or key under the property at fault, when the problem is one item's. */
  key?: string;
  message: string;
}

/** The first way `value` is not an absolute http(s) URL a webhook can be sent to. */
export function webhookUrlProblem(value: unknown): InputProblem | undefined {
  if (typeof value !== 'string') return { message: 'url must be a string.' };
  if (value.length > WebhookLimits.maxUrlLength) {
    return { message: `url must be at most ${WebhookLimits.maxUrlLength} characters long.` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { message: 'url must be an absolute URL, such as https://example.com/webhooks.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { message: 'url must be an https URL.' };
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in logs; deliveries are authenticated by their signature.
    return { message: 'url must not contain credentials; verify deliveries by their signature.' };
  }
  if (url.hostname === '') return { message: 'url must name a host.' };
  return undefined;
}

const selectors: readonly unknown[] = WebhookEventSelectors;
const selectorList = WebhookEventSelectors.map((selector) => `'${selector}'`).join(', ');

/** The first way `value` is not a list of event types to subscribe to, naming the item at fault. */
export function webhookEventsProblem(value: unknown): InputProblem | undefined {
  if (!Array.isArray(value)) {
    return { message: `events must be a list of event types, or ['${WEBHOOK_ALL_EVENTS}'].` };
  }
  if (value.length === 0) {
    return {
      message: `events must list at least one event type, or ['${WEBHOOK_ALL_EVENTS}'].`,
    };
  }
  if (value.length > WebhookEventSelectors.length) {
    return { message: `events can list at most ${WebhookEventSelectors.length} event types.` };
  }
  const items: readonly unknown[] = value;
  for (const [index, item] of items.entries()) {
    if (!selectors.includes(item)) {
      return {
        key: String(index),
        // What was sent is not repeated: it may be anything, a card number included.
        message: `events.${index} is not an event type. Use one of ${selectorList}.`,
      };
    }
  }
  if (items.includes(WEBHOOK_ALL_EVENTS) && items.length > 1) {
    return {
      key: String(items.indexOf(WEBHOOK_ALL_EVENTS)),
      message: `'${WEBHOOK_ALL_EVENTS}' already selects every event type; list it alone.`,
    };
  }
  return undefined;
}

/** A class-validator rule from a problem finder; the error names the item the finder names. */
function ruleOf(
  name: string,
  problemOf: (value: unknown) => InputProblem | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  const locator: ProblemLocator = { locate: problemOf };
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { ...options, context: locator },
      validator: {
        validate: (value: unknown) => problemOf(value) === undefined,
        defaultMessage: (args) => problemOf(args?.value)?.message ?? `${name} failed.`,
      },
    });
  };
}

/** An absolute http(s) URL without credentials, at most WebhookLimits.maxUrlLength long. */
export const IsWebhookUrl = (options?: ValidationOptions): PropertyDecorator =>
  ruleOf(IS_WEBHOOK_URL, webhookUrlProblem, options);

/** A non-empty list of public event types, or `['*']`; an unknown type is named by its index. */
export const IsWebhookEvents = (options?: ValidationOptions): PropertyDecorator =>
  ruleOf(IS_WEBHOOK_EVENTS, webhookEventsProblem, options);
