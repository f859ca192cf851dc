import { PublicEventTypes } from '@finfusion/contracts';
import {
  createEndpoint,
  subscribesTo,
  toWebhookEndpoint,
  updateEndpoint,
  type EndpointState,
} from './endpoint';

const created = new Date('2026-03-15T10:30:00.123Z');
const later = new Date('2026-03-15T11:00:00.000Z');

const existing = (overrides: Partial<EndpointState> = {}): EndpointState => ({
  ...createEndpoint(
    {
      id: 'whk_1',
      merchantId: 'mer_1',
      url: 'https://example.com/webhooks',
      events: ['payment.succeeded', 'payment.failed'],
      metadata: { environment: 'production' },
    },
    created,
  ),
  ...overrides,
});

describe('subscribesTo', () => {
  it('matches the types listed and no others', () => {
    const events = ['payment.succeeded', 'payment.failed'] as const;
    expect(subscribesTo(events, 'payment.succeeded')).toBe(true);
    expect(subscribesTo(events, 'payment.failed')).toBe(true);
    expect(subscribesTo(events, 'payment.created')).toBe(false);
    expect(subscribesTo(events, 'customer.created')).toBe(false);
  });

  it('matches every type with *', () => {
    for (const type of PublicEventTypes) expect(subscribesTo(['*'], type)).toBe(true);
  });
});

describe('toWebhookEndpoint', () => {
  it('maps the row to the API shape, without internal columns or the secret', () => {
    expect(toWebhookEndpoint(existing({ failing_since: later, idempotency_key: 'k' }))).toEqual({
      id: 'whk_1',
      object: 'webhook_endpoint',
      url: 'https://example.com/webhooks',
      events: ['payment.succeeded', 'payment.failed'],
      status: 'active',
      disabled_reason: null,
      created_at: '2026-03-15T10:30:00.123Z',
      metadata: { environment: 'production' },
    });
  });
});

describe('updateEndpoint', () => {
  it('changes the url, events and metadata given', () => {
    const outcome = updateEndpoint(
      existing(),
      { url: 'https://example.org/hooks', events: ['*'], metadata: { team: 'payments' } },
      later,
    );
    expect(outcome).toMatchObject({
      kind: 'changed',
      disabled: false,
      state: {
        url: 'https://example.org/hooks',
        events: ['*'],
        metadata: { environment: 'production', team: 'payments' },
        updated_at: later,
        created_at: created,
      },
    });
  });

  it('disables on request, saying so', () => {
    expect(updateEndpoint(existing(), { status: 'disabled' }, later)).toMatchObject({
      kind: 'changed',
      disabled: true,
      state: { status: 'disabled', disabled_reason: 'requested' },
    });
  });

  it('re-enables and forgets past failures', () => {
    const disabled = existing({
      status: 'disabled',
      disabled_reason: 'continuous_failures',
      failing_since: created,
    });
    expect(updateEndpoint(disabled, { status: 'active' }, later)).toMatchObject({
      kind: 'changed',
      disabled: false,
      state: { status: 'active', disabled_reason: null, failing_since: null },
    });
  });

  it('keeps the reason of an endpoint disabled already', () => {
    const gone = existing({ status: 'disabled', disabled_reason: 'endpoint_gone' });
    expect(updateEndpoint(gone, { status: 'disabled' }, later)).toEqual({
      kind: 'unchanged',
      state: gone,
    });
  });

  it('changes nothing when nothing differs', () => {
    const current = existing();
    expect(
      updateEndpoint(
        current,
        { url: current.url, events: ['payment.succeeded', 'payment.failed'], status: 'active' },
        later,
      ),
    ).toEqual({ kind: 'unchanged', state: current });
  });

  it('refuses a merge that would exceed 50 metadata keys', () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(updateEndpoint(existing(), { metadata: many }, later)).toMatchObject({
      kind: 'rejected',
      param: 'metadata',
    });
  });
});
