import { WebhookEventSelectors, WebhookLimits } from '../webhooks';
import { WebhookRules, webhookUrlRule } from './webhook.rules';

describe('webhookUrlRule', () => {
  const shape = webhookUrlRule({ allowHttp: true });
  const production = webhookUrlRule({ allowHttp: false });
  const base = 'https://example.com/';

  it('accepts an https URL, up to the longest length', () => {
    expect(production('https://example.com/webhooks?x=1', {})).toBeUndefined();
    expect(
      production(base + 'a'.repeat(WebhookLimits.maxUrlLength - base.length), {}),
    ).toBeUndefined();
  });

  it('refuses http unless the configuration allows it', () => {
    expect(production('http://example.com/webhooks', {})?.message).toBe('url must use https.');
    expect(shape('http://example.com/webhooks', {})).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [42, 'url must be a string.'],
    [null, 'url must be a string.'],
    ['', 'url must be an absolute URL, such as https://example.com/webhooks.'],
    ['not a url', 'url must be an absolute URL, such as https://example.com/webhooks.'],
    ['/relative/path', 'url must be an absolute URL, such as https://example.com/webhooks.'],
    ['ftp://example.com/x', 'url must be an https URL.'],
    ['file:///etc/passwd', 'url must be an https URL.'],
    ['javascript:alert(1)', 'url must be an https URL.'],
    [
      'https://user:secret@example.com/',
      'url must not contain credentials; verify deliveries by their signature.',
    ],
    [
      `${base}${'a'.repeat(WebhookLimits.maxUrlLength)}`,
      'url must be at most 2048 characters long.',
    ],
  ])('refuses %p: %s', (value, message) => {
    expect(shape(value, {})).toEqual({ code: 'parameter_invalid', message });
  });
});

describe('WebhookRules.events', () => {
  const events = (value: unknown) => WebhookRules.events(value, {});

  it('accepts public event types, and * alone', () => {
    for (const value of [
      ['payment.created', 'payment.succeeded', 'payment.failed'],
      ['payment.requires_capture', 'payment.canceled'],
      ['refund.created', 'refund.succeeded', 'refund.failed'],
      ['customer.created', 'customer.updated', 'customer.deleted'],
      ['*'],
    ]) {
      expect(events(value)).toBeUndefined();
    }
  });

  it.each<[unknown, string | undefined]>([
    ['*', undefined],
    [undefined, undefined],
    [[], undefined],
    [Array.from({ length: WebhookEventSelectors.length + 1 }, () => 'payment.failed'), undefined],
    [['payment.succeeded', 'payment.refunded'], '1'],
    [[7], '0'],
    [['payment.failed', '*'], '1'],
    [['*', 'payment.failed'], '0'],
  ])('refuses %p, naming the item %s', (value, key) => {
    const problem = events(value);
    expect(problem?.code).toBe('parameter_invalid');
    expect(problem?.key).toBe(key);
  });

  it('says which event types exist when one is unknown, without repeating it', () => {
    const problem = events(['payment.created', 'card 4242424242424242 exp']);
    expect(problem?.message).toContain("'payment.succeeded'");
    expect(JSON.stringify(problem)).not.toContain('4242424242424242');
  });
});

describe('the other webhook fields', () => {
  it('checks status and outcome against their lists', () => {
    expect(WebhookRules.status('disabled', {})).toBeUndefined();
    expect(WebhookRules.status('paused', {})?.message).toBe(
      'status must be one of active, disabled.',
    );
    expect(WebhookRules.outcome('failed', {})).toBeUndefined();
    expect(WebhookRules.outcome('delivered', {})?.message).toBe(
      'outcome must be one of pending, succeeded, failed.',
    );
  });

  it('bounds overlap_seconds to whole seconds within a week', () => {
    const overlap = (value: unknown) => WebhookRules.overlap_seconds(value, {})?.message;
    expect(overlap(0)).toBeUndefined();
    expect(overlap(WebhookLimits.maxOverlapSeconds)).toBeUndefined();
    expect(overlap(-1)).toBe('overlap_seconds must not be less than 0.');
    expect(overlap(WebhookLimits.maxOverlapSeconds + 1)).toBe(
      'overlap_seconds must not be greater than 604800.',
    );
    expect(overlap(1.5)).toBe('overlap_seconds must be an integer number.');
    expect(overlap('60')).toBe('overlap_seconds must be an integer number.');
  });
});
