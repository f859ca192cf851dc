import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { WebhookLimits } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';
import { GatewayValidationPipe } from '../validation/gateway-validation.pipe';
import {
  CreateWebhookRequest,
  ListWebhookDeliveriesQuery,
  RotateWebhookSecretRequest,
  UpdateWebhookRequest,
} from './webhook.requests';

const pipe = new GatewayValidationPipe();

async function outcomeOf(
  metatype: Type<unknown>,
  value: unknown,
  type: 'body' | 'query' = 'body',
): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiError['body'] }> {
  try {
    return { ok: true, value: await pipe.transform(value, { type, metatype }) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.body };
    throw error;
  }
}

const refusal = async (metatype: Type<unknown>, value: unknown, type?: 'body' | 'query') => {
  const outcome = await outcomeOf(metatype, value, type);
  if (outcome.ok) throw new Error(`expected a refusal of ${JSON.stringify(value)}`);
  return outcome.error;
};

const valid = { url: 'https://example.com/webhooks', events: ['payment.succeeded'] };

describe('CreateWebhookRequest', () => {
  it('accepts the API reference’s example', async () => {
    const outcome = await outcomeOf(CreateWebhookRequest, {
      url: 'https://example.com/webhooks',
      events: ['payment.succeeded', 'payment.failed'],
      metadata: { environment: 'production' },
    });
    expect(outcome).toMatchObject({ ok: true, value: expect.any(CreateWebhookRequest) as object });
  });

  it('accepts http, whose policy is the dispatcher’s, and a URL of the longest length', async () => {
    expect(
      await outcomeOf(CreateWebhookRequest, { ...valid, url: 'http://example.com/hooks' }),
    ).toMatchObject({ ok: true });
    const base = 'https://example.com/';
    const longest = base + 'a'.repeat(WebhookLimits.maxUrlLength - base.length);
    expect(await outcomeOf(CreateWebhookRequest, { ...valid, url: longest })).toMatchObject({
      ok: true,
    });
  });

  // Each field reaches its rule (libs/contracts, where the rules are tested) and is named.
  it.each<[string, unknown, string, string]>([
    ['a missing url', { events: ['*'] }, 'parameter_missing', 'url'],
    ['a url that is not a string', { ...valid, url: 42 }, 'parameter_invalid', 'url'],
    ['an ftp url', { ...valid, url: 'ftp://example.com/hooks' }, 'parameter_invalid', 'url'],
    ['missing events', { url: valid.url }, 'parameter_missing', 'events'],
    ['empty events', { ...valid, events: [] }, 'parameter_invalid', 'events'],
    [
      'an unknown event type, named by its index',
      { ...valid, events: ['payment.succeeded', 'payment.refunded'] },
      'parameter_invalid',
      'events.1',
    ],
    ['null metadata', { ...valid, metadata: null }, 'parameter_invalid', 'metadata'],
    [
      'a metadata value that is not a string',
      { ...valid, metadata: { team: 1 } },
      'parameter_invalid',
      'metadata.team',
    ],
    ['an unknown field', { ...valid, secret: 'whsec_x' }, 'parameter_unknown', 'secret'],
  ])('refuses %s, naming the field', async (_case, body, code, param) => {
    expect(await refusal(CreateWebhookRequest, body)).toMatchObject({
      type: 'invalid_request_error',
      code,
      param,
    });
  });

  it('never repeats a card number sent as an event type', async () => {
    const error = await refusal(CreateWebhookRequest, {
      ...valid,
      events: ['payment.created', 'card 4242424242424242 exp'],
    });
    expect(error.param).toBe('events.1');
    expect(JSON.stringify(error)).not.toContain('4242424242424242');
  });
});

describe('UpdateWebhookRequest', () => {
  it('accepts an empty patch and each field alone', async () => {
    for (const body of [
      {},
      { url: 'https://example.com/v2' },
      { events: ['customer.created'] },
      { status: 'disabled' },
      { status: 'active' },
      { metadata: { team: '' } },
    ]) {
      expect(await outcomeOf(UpdateWebhookRequest, body)).toMatchObject({ ok: true });
    }
  });

  it.each<[string, unknown, string]>([
    ['an unknown status', { status: 'paused' }, 'status'],
    ['a null status', { status: null }, 'status'],
    ['a null url', { url: null }, 'url'],
    ['a bad url', { url: 'example.com' }, 'url'],
    ['empty events', { events: [] }, 'events'],
    ['an unknown event type', { events: ['*', 'x'] }, 'events.1'],
    ['a read-only field', { secret: 'whsec_x' }, 'secret'],
    ['disabled_reason', { disabled_reason: 'requested' }, 'disabled_reason'],
  ])('refuses %s', async (_case, body, param) => {
    expect(await refusal(UpdateWebhookRequest, body)).toMatchObject({ param });
  });
});

describe('RotateWebhookSecretRequest', () => {
  it('accepts no overlap, 0 and the longest overlap', async () => {
    for (const body of [
      {},
      { overlap_seconds: 0 },
      { overlap_seconds: WebhookLimits.maxOverlapSeconds },
    ]) {
      expect(await outcomeOf(RotateWebhookSecretRequest, body)).toMatchObject({ ok: true });
    }
  });

  it.each<[string, unknown]>([
    ['an overlap over a week', WebhookLimits.maxOverlapSeconds + 1],
    ['a null overlap', null],
  ])('refuses %s', async (_case, overlap) => {
    expect(await refusal(RotateWebhookSecretRequest, { overlap_seconds: overlap })).toMatchObject({
      code: 'parameter_invalid',
      param: 'overlap_seconds',
    });
  });
});

describe('ListWebhookDeliveriesQuery', () => {
  it('turns limit into a number and keeps the outcome', async () => {
    const outcome = await outcomeOf(
      ListWebhookDeliveriesQuery,
      { limit: '25', outcome: 'failed', starting_after: 'whd_abc' },
      'query',
    );
    expect(outcome).toEqual({
      ok: true,
      value: Object.assign(new ListWebhookDeliveriesQuery(), {
        limit: 25,
        outcome: 'failed',
        starting_after: 'whd_abc',
      }),
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unknown outcome', { outcome: 'delivered' }, 'outcome'],
    ['a limit over 100', { limit: '101' }, 'limit'],
    ['both cursors', { starting_after: 'whd_a', ending_before: 'whd_b' }, 'ending_before'],
    ['an unknown parameter', { status: 'failed' }, 'status'],
  ])('refuses %s', async (_case, query, param) => {
    expect(await refusal(ListWebhookDeliveriesQuery, query, 'query')).toMatchObject({ param });
  });
});
