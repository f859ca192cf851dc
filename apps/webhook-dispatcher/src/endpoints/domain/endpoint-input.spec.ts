import {
  checkEvents,
  checkListParams,
  checkMetadata,
  checkOutcome,
  checkOverlapSeconds,
  checkStatus,
  checkUrlSyntax,
} from './endpoint-input';

// The rules themselves are libs/contracts' (tested there): these check that each field reaches its
// rule, is named in the refusal, and what the dispatcher adds (defaults, repeats dropped).

describe('checkUrlSyntax', () => {
  it('accepts an https URL as a URL', () => {
    const checked = checkUrlSyntax('https://example.com/webhooks?x=1', false);
    expect(checked.ok && checked.value.hostname).toBe('example.com');
  });

  it('refuses http unless configuration allows it', () => {
    expect(checkUrlSyntax('http://example.com/webhooks', false)).toEqual({
      ok: false,
      param: 'url',
      code: 'parameter_invalid',
      message: 'url must use https.',
    });
    expect(checkUrlSyntax('http://example.com/webhooks', true)).toMatchObject({ ok: true });
  });

  it('refuses what is no URL, naming url', () => {
    expect(checkUrlSyntax('ftp://example.com/x', true)).toMatchObject({ ok: false, param: 'url' });
  });
});

describe('checkEvents', () => {
  it('accepts public event types and drops repeats', () => {
    expect(checkEvents(['payment.succeeded', 'payment.failed', 'payment.succeeded'])).toEqual({
      ok: true,
      value: ['payment.succeeded', 'payment.failed'],
    });
  });

  it('refuses an unknown event type, naming its index as the gateway does', () => {
    expect(checkEvents(['payment.succeeded', 'payment.refunded'])).toMatchObject({
      ok: false,
      param: 'events.1',
    });
    expect(checkEvents([])).toMatchObject({ ok: false, param: 'events' });
  });
});

describe('the other fields', () => {
  it('checks metadata, naming the key at fault', () => {
    expect(checkMetadata({ environment: 'production' })).toMatchObject({ ok: true });
    expect(checkMetadata({ n: 1 })).toMatchObject({ ok: false, param: 'metadata.n' });
    expect(checkMetadata('text')).toMatchObject({ ok: false, param: 'metadata' });
  });

  it('checks status', () => {
    expect(checkStatus('disabled')).toEqual({ ok: true, value: 'disabled' });
    expect(checkStatus('paused')).toMatchObject({ ok: false, param: 'status' });
  });

  it('defaults overlap_seconds and bounds it', () => {
    expect(checkOverlapSeconds(undefined, 86_400)).toEqual({ ok: true, value: 86_400 });
    expect(checkOverlapSeconds(0, 86_400)).toEqual({ ok: true, value: 0 });
    expect(checkOverlapSeconds(-1, 86_400)).toMatchObject({ ok: false, param: 'overlap_seconds' });
  });

  it('checks the outcome filter', () => {
    expect(checkOutcome(undefined)).toEqual({ ok: true, value: undefined });
    expect(checkOutcome('failed')).toEqual({ ok: true, value: 'failed' });
    expect(checkOutcome('lost')).toMatchObject({ ok: false, param: 'outcome' });
  });

  it('checks list parameters, an empty cursor included', () => {
    expect(checkListParams({})).toEqual({ ok: true, value: { limit: 10 } });
    expect(checkListParams({ limit: 3, starting_after: 'whk_1' })).toEqual({
      ok: true,
      value: { limit: 3, starting_after: 'whk_1' },
    });
    expect(checkListParams({ limit: 0 })).toMatchObject({ ok: false, param: 'limit' });
    expect(checkListParams({ starting_after: 'a', ending_before: 'b' })).toMatchObject({
      ok: false,
      param: 'ending_before',
    });
    expect(checkListParams({ ending_before: '' })).toMatchObject({
      ok: false,
      param: 'ending_before',
    });
  });
});
