import { logLevel, type logCreator } from 'kafkajs';

/** The subset of a pino-style logger that kafkajs' log lines are sent to. */
export interface StructuredLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Routes kafkajs' own log lines into the service's structured log. */
export const kafkaLogCreator =
  (logger: StructuredLogger): logCreator =>
  () =>
  ({ level, log }) => {
    const { message, ...rest } = log;
    const fields = { component: 'kafkajs', ...rest };
    switch (level) {
      case logLevel.ERROR:
        logger.error(fields, message);
        break;
      case logLevel.WARN:
        logger.warn(fields, message);
        break;
      case logLevel.INFO:
        logger.info(fields, message);
        break;
      case logLevel.DEBUG:
      case logLevel.NOTHING:
        logger.debug(fields, message);
        break;
    }
  };
