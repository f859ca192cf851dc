import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { isTransientFailure } from './transient-failure';

const withCode = (message: string, code: string): Error =>
  Object.assign(new Error(message), { code });

describe('isTransientFailure', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a connection node-postgres lost', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a serialization failure', withCode('could not serialize access', '40001')],
    ['a deadlock', withCode('deadlock detected', '40P01')],
    ['an administrator shutdown', withCode('terminating connection', '57P01')],
    ['a statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a connection exception class', withCode('connection failure', '08006')],
    [
      "TypeORM's wrapper of a deadlock",
      Object.assign(new Error('QueryFailedError: deadlock detected'), {
        name: 'QueryFailedError',
        driverError: withCode('deadlock detected', '40P01'),
      }),
    ],
    [
      'every address refusing (AggregateError)',
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'failed'),
    ],
    ['a broker connection error', new KafkaJSConnectionError('Connection error')],
    ['a failure wrapping one', new Error('handling failed', { cause: withCode('x', 'ETIMEDOUT') })],
    ['one the handler marks so', Object.assign(new Error('try later'), { transient: true })],
  ])('counts %s as transient', (_, error) => {
    expect(isTransientFailure(error)).toBe(true);
  });

  it.each([
    ['unreadable JSON', new SyntaxError('Unexpected token p in JSON at position 0')],
    ['a constraint violation', withCode('duplicate key value', '23505')],
    ['an invalid value', withCode('invalid input syntax for type uuid', '22P02')],
    [
      'a record the broker refuses',
      new KafkaJSNonRetriableError(
        Object.assign(new KafkaJSProtocolError('too large'), {
          type: 'MESSAGE_TOO_LARGE',
          retriable: false,
        }),
      ),
    ],
    ['a plain error', new Error('cannot handle poison')],
    ['a non-error', 'boom'],
    [
      'one the handler marks permanent',
      Object.assign(withCode('x', 'ECONNREFUSED'), { transient: false }),
    ],
  ])('counts %s as the record’s own failure', (_, error) => {
    expect(isTransientFailure(error)).toBe(false);
  });
});
