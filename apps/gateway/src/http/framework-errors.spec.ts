import { frameworkError, MAX_PARAM_LENGTH } from './framework-errors';

describe('frameworkError', () => {
  it('answers a badly encoded URL with 400 request_malformed', () => {
    const error = frameworkError({ code: 'FST_ERR_BAD_URL' });
    expect(error.status).toBe(400);
    expect(error.body.code).toBe('request_malformed');
  });

  it('answers an overlong path segment with 414, naming the limit', () => {
    const error = frameworkError({ code: 'FST_ERR_MAX_PARAM_LENGTH' });
    expect(error.status).toBe(414);
    expect(error.body.message).toContain(String(MAX_PARAM_LENGTH));
  });

  it('answers anything else with a 500 without details', () => {
    expect(frameworkError({ code: 'FST_ERR_ASYNC_CONSTRAINT' }).status).toBe(500);
  });
});
