import { type DynamicModule, type Logger } from '@nestjs/common';
import type { StructuredLogger } from '@finfusion/kafka';
import { LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import { requestLogFields } from './request-context';

/**
 * Field paths censored in every log line. Card numbers and CVCs are never logged on purpose;
 * these paths catch a body or an error object that carries one by accident.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'authorization',
  'apiKey',
  'api_key',
  'secret',
  '*.secret',
  'number',
  'cvc',
  '*.number',
  '*.cvc',
  '*.card.number',
  '*.card.cvc',
  '*.*.card.number',
  '*.*.card.cvc',
  'payload.payment_method.card.number',
  'payload.payment_method.card.cvc',
];

/**
 * Log lines are written asynchronously: under load the lines produced while one write is under
 * way go out together in the next, instead of one write call per line. Pino flushes what is
 * left when the process exits (a SIGKILL loses at most the lines of the last few milliseconds).
 */
const logDestination = () => destination({ dest: 1, sync: false });

export const loggerModule = (service: string, level: string): DynamicModule =>
  LoggerModule.forRoot({
    pinoHttp: [
      {
        level,
        base: { service },
        messageKey: 'msg',
        timestamp: () => `,"time":"${new Date().toISOString()}"`,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        mixin: requestLogFields,
        // The gateway logs its own access line with the request id; health probes are noise.
        autoLogging: false,
        quietReqLogger: true,
      },
      logDestination(),
    ],
  });

/** Nest's logger in the (object, message) form that kafkajs wiring and log subscriptions use. */
export const structuredLogger = (logger: Logger): StructuredLogger => ({
  error: (obj, msg) => {
    logger.error(obj, msg);
  },
  warn: (obj, msg) => {
    logger.warn(obj, msg);
  },
  info: (obj, msg) => {
    logger.log(obj, msg);
  },
  debug: (obj, msg) => {
    logger.debug(obj, msg);
  },
});
