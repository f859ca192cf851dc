import type {
  PublicEventType,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
} from '@finfusion/contracts';
import type { DeliveryOutcome } from './retry-policy';

/** A delivery row: one event for one endpoint, its schedule, its lease and its latest attempt. */
export interface DeliveryState {
  id: string;
  merchant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: PublicEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  lease_token: string | null;
  last_attempted_at: Date | null;
  last_http_status: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AttemptState {
  delivery_id: string;
  attempt: number;
  attempted_at: Date;
  outcome: 'succeeded' | 'failed';
  http_status: number | null;
  duration_ms: number;
  error: string | null;
}

export const toDeliveryAttempt = (attempt: AttemptState): WebhookDeliveryAttempt => ({
  attempt: attempt.attempt,
  attempted_at: attempt.attempted_at.toISOString(),
  outcome: attempt.outcome,
  http_status: attempt.http_status,
  duration_ms: attempt.duration_ms,
  error: attempt.error,
});

/** The delivery as the API returns it; `attempts` are this delivery's, in any order. */
export const toWebhookDelivery = (
  state: DeliveryState,
  attempts: readonly AttemptState[],
): WebhookDelivery => ({
  id: state.id,
  object: 'webhook_delivery',
  endpoint_id: state.endpoint_id,
  event_id: state.event_id,
  event_type: state.event_type,
  status: state.status,
  attempt: state.attempts,
  attempted_at: state.last_attempted_at?.toISOString() ?? null,
  http_status: state.last_http_status,
  duration_ms: state.last_duration_ms,
  error: state.last_error,
  next_attempt_at:
    state.status === 'pending' ? (state.next_attempt_at?.toISOString() ?? null) : null,
  created_at: state.created_at.toISOString(),
  attempts: [...attempts].sort((a, b) => a.attempt - b.attempt).map(toDeliveryAttempt),
});

export const ENDPOINT_DISABLED_ERROR = 'the endpoint was disabled before this delivery succeeded';

/** What a delivery keeps of an attempt besides the attempt itself. */
export interface SettledDelivery {
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  error: string | null;
}

/**
 * The delivery's state after an attempt decided `outcome`. A delivery that would be retried fails
 * instead once its endpoint no longer takes deliveries (disabled or deleted meanwhile).
 */
export function settleAttempt(
  outcome: DeliveryOutcome,
  error: string | null,
  endpointActive: boolean,
): SettledDelivery {
  if (outcome.status !== 'pending') return { status: outcome.status, nextAttemptAt: null, error };
  if (endpointActive) return { status: 'pending', nextAttemptAt: outcome.nextAttemptAt, error };
  return {
    status: 'failed',
    nextAttemptAt: null,
    error: `${error ?? 'failed'}; ${ENDPOINT_DISABLED_ERROR}`,
  };
}
