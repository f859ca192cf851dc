import type { PaymentsConfig } from '../config';
import type { AuthorizationResult, RecordAuthorization } from './domain/payment.decider';

/**
 * The command that records the acquirer's answer to an authorization, with a manual payment's
 * deadline for its capture from AUTHORIZATION_CAPTURE_WINDOW_MS: the create handler and the
 * recovery of pending payments give the same deadline.
 */
export const recordAuthorization = (
  paymentId: string,
  result: AuthorizationResult,
  now: Date,
  config: Pick<PaymentsConfig, 'AUTHORIZATION_CAPTURE_WINDOW_MS'>,
): RecordAuthorization => ({
  type: 'RecordAuthorization',
  data: {
    paymentId,
    result,
    now,
    captureBefore: new Date(now.getTime() + config.AUTHORIZATION_CAPTURE_WINDOW_MS),
  },
});
