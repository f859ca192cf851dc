import { PaymentsConfig } from '../../config';
import { RefundIds } from './refund-ids';

const meta = (merchantId: string, idempotencyKey?: string) => ({
  merchantId,
  requestId: 'req_1',
  correlationId: 'req_1',
  ...(idempotencyKey !== undefined && { idempotencyKey }),
});

const ids = new RefundIds(new PaymentsConfig());

describe('RefundIds', () => {
  it('gives one merchant and key the same refund id every time', () => {
    const id = ids.for(meta('mer_1', 'key-1'));
    expect(id).toMatch(/^re_[0-9A-Za-z]{22}$/);
    expect(ids.for(meta('mer_1', 'key-1'))).toBe(id);
  });

  it('gives another key, or another merchant with the same key, another id', () => {
    const id = ids.for(meta('mer_1', 'key-1'));
    expect(ids.for(meta('mer_1', 'key-2'))).not.toBe(id);
    expect(ids.for(meta('mer_2', 'key-1'))).not.toBe(id);
  });

  it('derives under the service secret: another secret, other ids', () => {
    const config = Object.assign(new PaymentsConfig(), { CARD_FINGERPRINT_KEY: 'x'.repeat(32) });
    expect(new RefundIds(config).for(meta('mer_1', 'key-1'))).not.toBe(
      ids.for(meta('mer_1', 'key-1')),
    );
  });

  it('gives a new id to each request without a key', () => {
    expect(ids.for(meta('mer_1'))).not.toBe(ids.for(meta('mer_1')));
  });
});
