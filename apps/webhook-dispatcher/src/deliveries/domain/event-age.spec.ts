import { tooOldToDeliver } from './event-age';

describe('tooOldToDeliver', () => {
  const now = new Date('2026-03-31T12:00:00.000Z');

  it('delivers an event that happened within the days the dispatcher remembers events', () => {
    expect(tooOldToDeliver('2026-03-31T11:59:59.000Z', now, 30)).toBe(false);
    expect(tooOldToDeliver('2026-03-01T12:00:00.000Z', now, 30)).toBe(false);
  });

  it('does not deliver one that happened longer ago', () => {
    expect(tooOldToDeliver('2026-03-01T11:59:59.999Z', now, 30)).toBe(true);
    expect(tooOldToDeliver('2025-01-01T00:00:00.000Z', now, 30)).toBe(true);
  });
});
