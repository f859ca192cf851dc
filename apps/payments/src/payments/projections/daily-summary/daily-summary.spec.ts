import { fold, initialState } from '../../domain/payment';
import { created, failed, succeeded } from '../../domain/payment.fixture';
import { mergeChanges, summaryChanges } from './daily-summary';

const cell = { merchantId: 'mer_1', day: '2026-03-15', currency: 'USD' };

describe('daily summary changes', () => {
  it('counts a new payment as pending on its creation day', () => {
    expect(summaryChanges(initialState, fold([created()]))).toEqual([
      { ...cell, status: 'pending', count: 1, volume: 1000 },
    ]);
  });

  it('moves a payment from pending to its outcome', () => {
    const pending = fold([created()]);
    expect(summaryChanges(pending, fold([created(), succeeded()]))).toEqual([
      { ...cell, status: 'pending', count: -1, volume: -1000 },
      { ...cell, status: 'succeeded', count: 1, volume: 1000 },
    ]);
  });

  it('keeps counting on the creation day when the outcome comes the next day', () => {
    const late = succeeded(new Date('2026-03-16T00:00:01Z'));
    expect(summaryChanges(fold([created()]), fold([created(), late]))).toContainEqual({
      ...cell,
      status: 'succeeded',
      count: 1,
      volume: 1000,
    });
  });

  it('changes nothing when the status stays', () => {
    const done = fold([created(), failed()]);
    expect(summaryChanges(done, done)).toEqual([]);
  });

  it('sums changes per cell, keeping cells that net to zero', () => {
    const merged = mergeChanges([
      ...summaryChanges(initialState, fold([created()])),
      ...summaryChanges(fold([created()]), fold([created(), failed()])),
    ]);
    expect(merged).toEqual([
      { ...cell, status: 'failed', count: 1, volume: 1000 },
      { ...cell, status: 'pending', count: 0, volume: 0 },
    ]);
  });
});
