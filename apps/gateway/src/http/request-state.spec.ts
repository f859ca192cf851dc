import { correlationIdOf } from './request-state';

describe('correlationIdOf', () => {
  it('keeps a plain client correlation id', () => {
    expect(correlationIdOf('order-123:retry.2_A', 'req_1')).toBe('order-123:retry.2_A');
  });

  it('takes the first of repeated headers', () => {
    expect(correlationIdOf(['first', 'second'], 'req_1')).toBe('first');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['markup', '<script>'],
    ['spaces', 'a b'],
    ['a line break', 'a\nb'],
    ['a card number', 'order-4242-4242-4242-4242'],
  ])('uses the request id when the header is %s', (_case, header) => {
    expect(correlationIdOf(header, 'req_1')).toBe('req_1');
  });
});
