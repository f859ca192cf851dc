import { newId } from '../ids';
import type { Refund, RefundEvent } from '../refunds';
import { refundEventSchemas } from './refund-events.schema';
import { validatePublicEvent } from './validate';

const refund = (overrides: Partial<Refund> = {}): Refund => ({
  id: newId('re'),
  object: 'refund',
  payment: newId('pay'),
  amount: { value: 250, currency: 'USD' },
  status: 'pending',
  reason: null,
  failure: null,
  metadata: {},
  created_at: '2026-03-16T09:12:44.018Z',
  ...overrides,
});

const envelope = (type: RefundEvent['type'], object: Refund, sequence: number): RefundEvent => ({
  id: newId('evt'),
  type,
  schema_version: 1,
  created_at: '2026-03-16T09:12:44.018Z',
  merchant_id: newId('mer'),
  data: { object },
  sequence,
});

const failed = refund({
  status: 'failed',
  failure: { code: 'declined', message: 'The card issuer declined the refund.' },
});

describe('refund event schemas', () => {
  it('accepts created, succeeded and failed envelopes at the payment stream’s versions', () => {
    expect(validatePublicEvent(envelope('refund.created', refund(), 3))).toEqual([]);
    const succeeded = refund({ status: 'succeeded', reason: 'requested_by_customer' });
    expect(validatePublicEvent(envelope('refund.succeeded', succeeded, 4))).toEqual([]);
    expect(validatePublicEvent(envelope('refund.failed', failed, 7))).toEqual([]);
  });

  it('publishes each type at version 1', () => {
    expect(refundEventSchemas['refund.created']).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://api.finfusion.cloud/schemas/events/refund.created.v1.json',
    });
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a created refund that is not pending',
      () => envelope('refund.created', refund({ status: 'succeeded' }), 3),
      /status/,
    ],
    [
      'a refund before the payment was captured',
      () => envelope('refund.created', refund(), 2),
      /sequence/,
    ],
    [
      'a failed refund without its failure',
      () => envelope('refund.failed', { ...failed, failure: null }, 4),
      /failure/,
    ],
    [
      'a failure code the refunds do not have',
      () =>
        envelope('refund.failed', { ...failed, failure: { code: 'x' as never, message: 'm' } }, 4),
      /failure\/code/,
    ],
    [
      'a reason the refunds do not have',
      () => envelope('refund.created', refund({ reason: 'abandoned' as never }), 3),
      /reason/,
    ],
    [
      'a zero amount',
      () => envelope('refund.created', refund({ amount: { value: 0, currency: 'USD' } }), 3),
      /amount\/value/,
    ],
    [
      'a payment id of another kind',
      () => envelope('refund.created', refund({ payment: newId('cust') }), 3),
      /payment/,
    ],
    [
      'an internal field leaking into the refund',
      () => envelope('refund.created', { ...refund(), reference: 'ref_1' } as Refund, 3),
      /additional properties \(reference\)/,
    ],
  ])('refuses %s', (_, make, problem) => {
    const errors = validatePublicEvent(make());
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(problem);
  });
});
