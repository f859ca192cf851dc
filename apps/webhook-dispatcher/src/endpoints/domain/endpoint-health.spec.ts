import { failedTooLong, healthAfterFailure, type EndpointHealth } from './endpoint-health';

const since = new Date('2026-03-10T10:30:00.000Z');
const fiveDays = 5 * 24 * 3600 * 1000;
const later = (ms: number): Date => new Date(since.getTime() + ms);
const healthy: EndpointHealth = { status: 'active', deleted: false, failingSince: null };

describe('failedTooLong', () => {
  it('tolerates failures shorter than the period', () => {
    expect(failedTooLong(since, later(fiveDays - 1), fiveDays)).toBe(false);
  });

  it('gives up once the failures have lasted the whole period', () => {
    expect(failedTooLong(since, later(fiveDays), fiveDays)).toBe(true);
  });
});

describe('healthAfterFailure', () => {
  it('starts a run of failures at the first one and keeps the endpoint active', () => {
    expect(healthAfterFailure(healthy, { at: since, gone: false }, fiveDays)).toEqual({
      failingSince: since,
      active: true,
    });
  });

  it('extends the run from its start', () => {
    const failing = { ...healthy, failingSince: since };
    expect(healthAfterFailure(failing, { at: later(fiveDays - 1), gone: false }, fiveDays)).toEqual(
      { failingSince: since, active: true },
    );
  });

  it('disables the endpoint once the run has lasted the whole period', () => {
    const failing = { ...healthy, failingSince: since };
    expect(healthAfterFailure(failing, { at: later(fiveDays), gone: false }, fiveDays)).toEqual({
      failingSince: since,
      disable: 'continuous_failures',
      active: false,
    });
  });

  it('disables the endpoint at once when the receiver answers 410 Gone', () => {
    expect(healthAfterFailure(healthy, { at: since, gone: true }, fiveDays)).toEqual({
      failingSince: since,
      disable: 'endpoint_gone',
      active: false,
    });
  });

  it.each<[string, EndpointHealth]>([
    ['disabled', { ...healthy, status: 'disabled' }],
    ['deleted', { ...healthy, deleted: true }],
  ])('keeps the run of a %s endpoint but disables nothing more', (_, endpoint) => {
    expect(healthAfterFailure(endpoint, { at: later(fiveDays), gone: true }, 1)).toEqual({
      failingSince: later(fiveDays),
      active: false,
    });
  });
});
