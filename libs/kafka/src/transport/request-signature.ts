import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { KafkaHeaders } from '@nestjs/microservices';
import type { IHeaders } from 'kafkajs';

// Any client that can reach the brokers could put a request on a request topic; the services
// act only on requests signed with a key they share with their senders (REQUEST_SIGNING_KEYS).
// The HMAC covers the topic, the reply route, the time of signing and the SHA-256 of the value
// exactly as it travels: the merchant id, request id, Idempotency-Key and deadline are in that
// value, so a signature taken from one request fits no other merchant, topic, body or reply
// route, and no longer than the accepted age.

/** One key of the ring; the same shape as `RingKey` of libs/config. */
export interface SigningKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The headers a signed request carries beside Nest's correlation and reply headers. */
export const SignatureHeaders = {
  keyId: 'finfusion_signature_key',
  signedAt: 'finfusion_signed_at',
  signature: 'finfusion_signature',
} as const;

/** Why a request was refused; a metric label, so a closed list. */
export const RefusalReasons = [
  'unsigned',
  'malformed',
  'unknown_key',
  'expired',
  'bad_signature',
] as const;
export type RefusalReason = (typeof RefusalReasons)[number];

export type Verdict =
  { accepted: true; keyId: string } | { accepted: false; reason: RefusalReason; keyId?: string };

/** What a request's signature covers besides its value. */
interface SignedRoute {
  topic: string;
  correlationId: string;
  replyTopic: string;
  replyPartition: string;
}

const VERSION = 'finfusion-request-v1';
const SIGNATURE_BYTES = 32;

/**
 * The string the HMAC is computed over, one field a line. No field may hold a line break (a
 * topic cannot; the verifier refuses headers that do), so no two requests share one string.
 */
const canonical = (route: SignedRoute, signedAt: string, value: Buffer): string =>
  [
    VERSION,
    route.topic,
    route.correlationId,
    route.replyTopic,
    route.replyPartition,
    signedAt,
    createHash('sha256').update(value).digest('base64'),
  ].join('\n');

const mac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return undefined; // a repeated header is never ours
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
};

/** A Kafka value as bytes: what the producer sends is what the consumer gets. */
export const valueBytes = (value: Buffer | string | null | undefined): Buffer =>
  value === null || value === undefined
    ? Buffer.alloc(0)
    : Buffer.isBuffer(value)
      ? value
      : Buffer.from(value, 'utf8');

/**
 * Signs requests with the ring's first key and verifies them against every key of the ring, so
 * a key is rotated by listing it everywhere before it signs (docs/operations.md).
 */
export class RequestSigner {
  private readonly current: SigningKey;
  private readonly keys: ReadonlyMap<string, Buffer>;

  /**
   * `maxAgeMs`: how far a request's time of signing may be from this process's clock, either
   * way (a replay limit that tolerates clock skew).
   */
  constructor(
    ring: readonly SigningKey[],
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const [current] = ring;
    if (current === undefined) throw new Error('request signing needs at least one key');
    this.current = current;
    this.keys = new Map(ring.map(({ id, key }) => [id, key]));
  }

  /** The signature headers of a request whose route headers are already set. */
  sign(topic: string, headers: IHeaders, value: Buffer): Record<string, string> {
    const signedAt = String(this.now());
    const route = routeOf(topic, headers);
    if (route === undefined) throw new Error('a request header holds a line break');
    return {
      [SignatureHeaders.keyId]: this.current.id,
      [SignatureHeaders.signedAt]: signedAt,
      [SignatureHeaders.signature]: mac(
        this.current.key,
        canonical(route, signedAt, value),
      ).toString('base64'),
    };
  }

  /** Whether a request consumed from `topic` was signed by a holder of one of the ring's keys. */
  verify(topic: string, headers: IHeaders | undefined, value: Buffer): Verdict {
    const keyId = headerText(headers, SignatureHeaders.keyId);
    const signedAt = headerText(headers, SignatureHeaders.signedAt);
    const signature = headerText(headers, SignatureHeaders.signature);
    if (keyId === undefined && signedAt === undefined && signature === undefined) {
      return { accepted: false, reason: 'unsigned' };
    }
    const route = routeOf(topic, headers);
    if (
      keyId === undefined ||
      signedAt === undefined ||
      signature === undefined ||
      route === undefined ||
      !/^\d{1,15}$/.test(signedAt)
    ) {
      return { accepted: false, reason: 'malformed' };
    }
    const key = this.keys.get(keyId);
    // The id is echoed to the log only when it is one of ours: anything else is the sender's text.
    if (key === undefined) return { accepted: false, reason: 'unknown_key' };
    if (Math.abs(this.now() - Number(signedAt)) > this.maxAgeMs) {
      return { accepted: false, reason: 'expired', keyId };
    }
    const given = Buffer.from(signature, 'base64');
    const expected = mac(key, canonical(route, signedAt, value));
    if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, expected)) {
      return { accepted: false, reason: 'bad_signature', keyId };
    }
    return { accepted: true, keyId };
  }
}

/** The route headers Nest's client sets; absent ones are empty (a request without a reply). */
function routeOf(topic: string, headers: IHeaders | undefined): SignedRoute | undefined {
  const route = {
    topic,
    correlationId: headerText(headers, KafkaHeaders.CORRELATION_ID) ?? '',
    replyTopic: headerText(headers, KafkaHeaders.REPLY_TOPIC) ?? '',
    replyPartition: headerText(headers, KafkaHeaders.REPLY_PARTITION) ?? '',
  };
  return Object.values(route).some((field) => /[\r\n]/.test(field)) ? undefined : route;
}
