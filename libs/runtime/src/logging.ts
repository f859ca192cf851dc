import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
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

export const loggerModule = (service: string, level: string): DynamicModule =>
  LoggerModule.forRoot({
    pinoHttp: {
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
  });
