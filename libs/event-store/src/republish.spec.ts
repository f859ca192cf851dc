import { parseLogBound } from './republish';

describe('parseLogBound', () => {
  it('reads a global position as digits', () => {
    expect(parseLogBound('0')).toBe(0n);
    expect(parseLogBound('9007199254740993')).toBe(9007199254740993n);
  });

  it('reads a date as its UTC midnight, and a time without a zone as UTC', () => {
    expect(parseLogBound('2026-03-15')).toEqual(new Date('2026-03-15T00:00:00.000Z'));
    expect(parseLogBound('2026-03-15T10:30:00')).toEqual(new Date('2026-03-15T10:30:00.000Z'));
    expect(parseLogBound('2026-03-15T10:30:00Z')).toEqual(new Date('2026-03-15T10:30:00.000Z'));
    expect(parseLogBound('2026-03-15T12:30:00+02:00')).toEqual(
      new Date('2026-03-15T10:30:00.000Z'),
    );
  });

  it('refuses anything else', () => {
    for (const text of ['', '-1', '1.5', 'yesterday', '2026-13-45', '2026-03-15T25:99', 'x1'])
      expect([text, parseLogBound(text)]).toEqual([text, undefined]);
  });
});
