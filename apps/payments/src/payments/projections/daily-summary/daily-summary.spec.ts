import { fold, initialState } from '../../domain/payment';
import {
  authorized,
  canceled,
  captured,
  created,
  createdManual,
  failed,
  refundCreated,
  refundFailed,
  refundSucceeded,
  succeeded,
} from '../../domain/payment.fixture';
import { mergeChanges, summaryChanges } from './daily-summary';

const cell = { merchantId: 'mer_1', day: '2026-03-15', currency: 'USD' };

describe('daily summary changes', () => {
  it('counts a new payment as pending on its creation day', () => {
    expect(summaryChanges(initialState, fold([created()]))).toEqual([
      { ...cell, status: 'pending', count: 1, volume: 1000, captured: 0, refunded: 0 },
    ]);
  });

  it('moves a payment from pending to its outcome', () => {
    const pending = fold([created()]);
    expect(summaryChanges(pending, fold([created(), succeeded()]))).toEqual([
      { ...cell, status: 'pending', count: -1, volume: -1000, captured: 0, refunded: 0 },
      { ...cell, status: 'succeeded', count: 1, volume: 1000, captured: 1000, refunded: 0 },
    ]);
  });

  it('keeps counting on the creation day when the outcome comes the next day', () => {
    const late = succeeded(new Date('2026-03-16T00:00:01Z'));
    expect(summaryChanges(fold([created()]), fold([created(), late]))).toContainEqual({
      ...cell,
      status: 'succeeded',
      count: 1,
      volume: 1000,
      captured: 1000,
      refunded: 0,
    });
  });

  it('moves a manual payment through requires_capture to its capture or cancellation', () => {
    const waiting = fold([createdManual(), authorized()]);
    expect(summaryChanges(fold([createdManual()]), waiting)).toEqual([
      { ...cell, status: 'pending', count: -1, volume: -1000, captured: 0, refunded: 0 },
      { ...cell, status: 'requires_capture', count: 1, volume: 1000, captured: 0, refunded: 0 },
    ]);
    expect(summaryChanges(waiting, fold([createdManual(), authorized(), canceled()]))).toEqual([
      { ...cell, status: 'requires_capture', count: -1, volume: -1000, captured: 0, refunded: 0 },
      { ...cell, status: 'canceled', count: 1, volume: 1000, captured: 0, refunded: 0 },
    ]);
    expect(
      summaryChanges(waiting, fold([createdManual(), authorized(), captured(400)])),
    ).toContainEqual({
      ...cell,
      status: 'succeeded',
      count: 1,
      volume: 1000,
      captured: 400,
      refunded: 0,
    });
  });

  it('counts a refund in its cell once it succeeds, and a failed one not at all', () => {
    const paid = [created(), succeeded()];
    const refunding = [...paid, refundCreated('re_1', 300)];
    expect(summaryChanges(fold(paid), fold(refunding))).toEqual([]);
    expect(summaryChanges(fold(refunding), fold([...refunding, refundSucceeded('re_1')]))).toEqual([
      { ...cell, status: 'succeeded', count: 0, volume: 0, captured: 0, refunded: 300 },
    ]);
    expect(summaryChanges(fold(refunding), fold([...refunding, refundFailed('re_1')]))).toEqual([]);
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
      { ...cell, status: 'failed', count: 1, volume: 1000, captured: 0, refunded: 0 },
      { ...cell, status: 'pending', count: 0, volume: 0, captured: 0, refunded: 0 },
    ]);
  });
});
