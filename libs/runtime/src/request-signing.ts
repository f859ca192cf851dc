import { Counter } from 'prom-client';
import { parseKeyRing, type RequestReplyConfig } from '@finfusion/config';
import { type RefusalReason, type RequestSigningSettings, type SigningKey } from '@finfusion/kafka';

const refusedRequests = new Counter({
  name: 'kafka_requests_refused_total',
  help: 'Requests refused before any handler because their signature does not hold, by topic and reason.',
  labelNames: ['topic', 'reason'],
});

/** The ring of REQUEST_SIGNING_KEYS (already validated by the configuration). */
export const signingKeysOf = (config: RequestReplyConfig): SigningKey[] =>
  parseKeyRing(config.REQUEST_SIGNING_KEYS.join(','));

/** How a service's request server checks signatures, and counts what it refuses. */
export const requestVerification = (
  config: RequestReplyConfig,
): RequestSigningSettings & { onRefused: (topic: string, reason: RefusalReason) => void } => ({
  signingKeys: signingKeysOf(config),
  signatureMaxAgeMs: config.SIGNED_REQUEST_MAX_AGE_MS,
  onRefused: (topic, reason) => {
    refusedRequests.inc({ topic, reason });
  },
});
