import { ENDPOINT_DISABLED_ERROR, settleAttempt } from './delivery';

const later = new Date('2026-03-15T10:31:00.000Z');

describe('settleAttempt', () => {
  it('keeps a finished delivery finished, with the attempt’s error', () => {
    expect(settleAttempt({ status: 'succeeded' }, null, false)).toEqual({
      status: 'succeeded',
      nextAttemptAt: null,
      error: null,
    });
    expect(settleAttempt({ status: 'failed', disableEndpoint: true }, 'HTTP 410', true)).toEqual({
      status: 'failed',
      nextAttemptAt: null,
      error: 'HTTP 410',
    });
  });

  it('schedules the next attempt while the endpoint takes deliveries', () => {
    expect(settleAttempt({ status: 'pending', nextAttemptAt: later }, 'HTTP 500', true)).toEqual({
      status: 'pending',
      nextAttemptAt: later,
      error: 'HTTP 500',
    });
  });

  it('fails a delivery that would be retried once its endpoint is disabled', () => {
    expect(settleAttempt({ status: 'pending', nextAttemptAt: later }, 'HTTP 500', false)).toEqual({
      status: 'failed',
      nextAttemptAt: null,
      error: `HTTP 500; ${ENDPOINT_DISABLED_ERROR}`,
    });
  });
});
