import {
  checkEvents,
  checkListParams,
  checkMetadata,
  checkOutcome,
  checkOverlapSeconds,
  checkStatus,
  checkUrlSyntax,
} from './endpoint-input';

describe('checkUrlSyntax', () => {
  it('accepts an https URL', () => {
    expect(checkUrlSyntax('https://example.com/webhooks?x=1', false)).toMatchObject({ ok: true });
  });

  it('refuses http unless configuration allows it', () => {
    expect(checkUrlSyntax('http://example.com/webhooks', false)).toEqual({
      ok: false,
      param: 'url',
      message: 'url must use https.',
    });
    expect(checkUrlSyntax('http://example.com/webhooks', true)).toMatchObject({ ok: true });
  });

  it.each([
    ['not a url'],
    ['/relative/path'],
    ['ftp://example.com/x'],
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
    [''],
    [42],
    [null],
  ])('refuses %p, naming url', (value) => {
    expect(checkUrlSyntax(value, true)).toMatchObject({ ok: false, param: 'url' });
  });

  it('refuses credentials in the URL', () => {
    expect(checkUrlSyntax('https://user:pass@example.com/', false)).toMatchObject({
      ok: false,
      param: 'url',
    });
  });

  it('refuses a URL longer than 2048 characters', () => {
    expect(checkUrlSyntax(`https://example.com/${'a'.repeat(2048)}`, false)).toMatchObject({
      ok: false,
    });
  });
});

describe('checkEvents', () => {
  it('accepts public event types and drops repeats', () => {
    expect(checkEvents(['payment.succeeded', 'payment.failed', 'payment.succeeded'])).toEqual({
      ok: true,
      value: ['payment.succeeded', 'payment.failed'],
    });
  });

  it('accepts * alone', () => {
    expect(checkEvents(['*'])).toEqual({ ok: true, value: ['*'] });
  });

  it('refuses an unknown event type, naming it and its index as the gateway does', () => {
    expect(checkEvents(['payment.succeeded', 'payment.refunded'])).toMatchObject({
      ok: false,
      param: 'events.1',
      message: expect.stringContaining('"payment.refunded"') as string,
    });
    expect(checkEvents([1])).toMatchObject({ ok: false, param: 'events.0' });
  });

  it.each([[[]], ['payment.succeeded'], [undefined], [['*', 'payment.failed']]])(
    'refuses %p',
    (value) => {
      expect(checkEvents(value)).toMatchObject({ ok: false, param: 'events' });
    },
  );
});

describe('checkMetadata', () => {
  it('accepts string values within the limits', () => {
    expect(checkMetadata({ environment: 'production' })).toEqual({
      ok: true,
      value: { environment: 'production' },
    });
  });

  it('counts characters, not UTF-16 units, as the gateway does', () => {
    const metadata = { ['é'.repeat(40)]: '😀'.repeat(500), ['😀'.repeat(40)]: 'v' };
    expect(checkMetadata(metadata)).toEqual({ ok: true, value: metadata });
  });

  it.each([
    [['a']],
    ['text'],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))],
  ])('refuses %p as a whole', (value) => {
    expect(checkMetadata(value)).toMatchObject({ ok: false, param: 'metadata' });
  });

  it.each([
    [{ n: 1 }, 'metadata.n'],
    [{ ['k'.repeat(41)]: 'v' }, `metadata.${'k'.repeat(41)}`],
    [{ k: 'v'.repeat(501) }, 'metadata.k'],
    [{ k: '😀'.repeat(501) }, 'metadata.k'],
  ])('refuses %p, naming the key', (value, param) => {
    expect(checkMetadata(value)).toMatchObject({ ok: false, param });
  });
});

describe('the other fields', () => {
  it('checks status', () => {
    expect(checkStatus('disabled')).toEqual({ ok: true, value: 'disabled' });
    expect(checkStatus('paused')).toMatchObject({ ok: false, param: 'status' });
  });

  it('defaults overlap_seconds and bounds it to a week', () => {
    expect(checkOverlapSeconds(undefined, 86_400)).toEqual({ ok: true, value: 86_400 });
    expect(checkOverlapSeconds(0, 86_400)).toEqual({ ok: true, value: 0 });
    expect(checkOverlapSeconds(604_800, 86_400)).toEqual({ ok: true, value: 604_800 });
    for (const bad of [-1, 1.5, 604_801, '60']) {
      expect(checkOverlapSeconds(bad, 86_400)).toMatchObject({
        ok: false,
        param: 'overlap_seconds',
      });
    }
  });

  it('checks the outcome filter', () => {
    expect(checkOutcome(undefined)).toEqual({ ok: true, value: undefined });
    expect(checkOutcome('failed')).toEqual({ ok: true, value: 'failed' });
    expect(checkOutcome('lost')).toMatchObject({ ok: false, param: 'outcome' });
  });

  it('checks list parameters', () => {
    expect(checkListParams({})).toEqual({ ok: true, value: { limit: 10 } });
    expect(checkListParams({ limit: 3, starting_after: 'whk_1' })).toEqual({
      ok: true,
      value: { limit: 3, starting_after: 'whk_1' },
    });
    expect(checkListParams({ limit: 0 })).toMatchObject({ ok: false, param: 'limit' });
    expect(checkListParams({ limit: 101 })).toMatchObject({ ok: false, param: 'limit' });
    expect(checkListParams({ starting_after: 'a', ending_before: 'b' })).toMatchObject({
      ok: false,
    });
  });
});
