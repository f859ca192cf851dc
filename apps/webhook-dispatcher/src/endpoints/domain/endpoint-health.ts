import type { WebhookDisabledReason, WebhookEndpointStatus } from '@finfusion/contracts';

// When an endpoint stops taking deliveries on its own: at once when its receiver answers 410 Gone,
// or once its attempts have failed without a break for WEBHOOK_DISABLE_AFTER_FAILING_MS. Pure: the
// time of the attempt comes in.

/** What the health rules read of an endpoint. */
export interface EndpointHealth {
  status: WebhookEndpointStatus;
  deleted: boolean;
  /** Start of the current run of failed attempts; null after any success. */
  failingSince: Date | null;
}

export interface FailedAttempt {
  at: Date;
  /** The receiver answered 410: it says the endpoint is gone for good. */
  gone: boolean;
}

export interface HealthAfterFailure {
  /** The run of failures this one starts or extends. */
  failingSince: Date;
  /** Set when this failure disables the endpoint. */
  disable?: WebhookDisabledReason;
  /** Whether the endpoint still takes deliveries after this failure. */
  active: boolean;
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be disabled. */
export const failedTooLong = (failingSince: Date, now: Date, disableAfterMs: number): boolean =>
  now.getTime() - failingSince.getTime() >= disableAfterMs;

/**
 * The endpoint's health after a failed attempt. The run of failures starts at the first failure
 * whatever the endpoint's status; a success, or enabling the endpoint again, ends it.
 */
export function healthAfterFailure(
  endpoint: EndpointHealth,
  failure: FailedAttempt,
  disableAfterMs: number,
): HealthAfterFailure {
  const failingSince = endpoint.failingSince ?? failure.at;
  if (endpoint.status !== 'active' || endpoint.deleted) return { failingSince, active: false };
  let disable: WebhookDisabledReason | undefined;
  if (failure.gone) disable = 'endpoint_gone';
  else if (failedTooLong(failingSince, failure.at, disableAfterMs)) disable = 'continuous_failures';
  return disable === undefined
    ? { failingSince, active: true }
    : { failingSince, disable, active: false };
}
