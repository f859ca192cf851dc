import type { Logger } from '@nestjs/common';
import type { StructuredLogger } from '@finfusion/kafka';

/** Nest's logger in the (object, message) form that kafkajs wiring and log subscriptions use. */
export const structured = (logger: Logger): StructuredLogger => ({
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
