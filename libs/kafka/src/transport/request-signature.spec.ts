import { randomBytes } from 'node:crypto';
import { KafkaHeaders } from '@nestjs/microservices';
import { RequestSigner, SignatureHeaders, type SigningKey } from './request-signature';

const current: SigningKey = { id: 'k2', key: randomBytes(32) };
const previous: SigningKey = { id: 'k1', key: randomBytes(32) };
const maxAgeMs = 300_000;
const signedAt = 1_760_000_000_000;

const route = {
  [KafkaHeaders.CORRELATION_ID]: 'c-1',
  [KafkaHeaders.REPLY_TOPIC]: 'gateway.replies',
  [KafkaHeaders.REPLY_PARTITION]: '3',
};
const body = (merchantId: string) =>
  Buffer.from(
    JSON.stringify({ meta: { merchantId, requestId: 'req_1', correlationId: 'c-1' }, payload: {} }),
  );

const signerAt = (ring: SigningKey[], now: number) => new RequestSigner(ring, maxAgeMs, () => now);
/** The services' verifier: the current key first, the rotated-out one still listed. */
const verifier = (now = signedAt) => signerAt([current, previous], now);

/** A request as the gateway signs it: its route headers and the signature headers. */
function signed(value: Buffer, { topic = 'payments.get', ring = [current] } = {}) {
  return { ...route, ...signerAt(ring, signedAt).sign(topic, route, value) };
}

describe('request signatures', () => {
  it('accepts a request as it was signed, received with Buffer headers as Kafka delivers them', () => {
    const headers = signed(body('mer_a'));
    const received = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)]),
    );

    expect(verifier().verify('payments.get', received, body('mer_a'))).toEqual({
      accepted: true,
      keyId: 'k2',
    });
  });

  it('accepts a request signed with a rotated-out key the ring still lists', () => {
    const headers = signed(body('mer_a'), { ring: [previous] });

    expect(verifier().verify('payments.get', headers, body('mer_a'))).toEqual({
      accepted: true,
      keyId: 'k1',
    });
  });

  it('refuses the signature of one merchant on a request of another', () => {
    const headers = signed(body('mer_a'));

    expect(verifier().verify('payments.get', headers, body('mer_b'))).toMatchObject({
      accepted: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature moved to another topic', () => {
    const headers = signed(body('mer_a'), { topic: 'payments.get' });

    expect(verifier().verify('webhooks.create', headers, body('mer_a'))).toMatchObject({
      accepted: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature whose reply route or time of signing was changed', () => {
    const value = body('mer_a');
    const headers = signed(value);

    for (const change of [
      { [KafkaHeaders.REPLY_TOPIC]: 'attacker.replies' },
      { [KafkaHeaders.REPLY_PARTITION]: '0' },
      { [KafkaHeaders.CORRELATION_ID]: 'c-2' },
      { [SignatureHeaders.signedAt]: String(signedAt + 1) },
    ]) {
      expect(verifier().verify('payments.get', { ...headers, ...change }, value)).toMatchObject({
        accepted: false,
        reason: 'bad_signature',
      });
    }
  });

  it('refuses a request signed longer ago than the accepted age, or as far ahead', () => {
    const headers = signed(body('mer_a'));

    for (const now of [signedAt + maxAgeMs + 1, signedAt - maxAgeMs - 1]) {
      expect(verifier(now).verify('payments.get', headers, body('mer_a'))).toMatchObject({
        accepted: false,
        reason: 'expired',
      });
    }
    expect(verifier(signedAt + maxAgeMs).verify('payments.get', headers, body('mer_a'))).toEqual({
      accepted: true,
      keyId: 'k2',
    });
  });

  it('refuses a key id the ring does not list, even with a signature by a dropped key', () => {
    const dropped: SigningKey = { id: 'k0', key: randomBytes(32) };
    const headers = signed(body('mer_a'), { ring: [dropped] });

    expect(verifier().verify('payments.get', headers, body('mer_a'))).toEqual({
      accepted: false,
      reason: 'unknown_key',
    });
  });

  it('refuses a signature made with another key under a listed id', () => {
    const forged = signed(body('mer_a'), { ring: [{ id: 'k2', key: randomBytes(32) }] });

    expect(verifier().verify('payments.get', forged, body('mer_a'))).toMatchObject({
      accepted: false,
      reason: 'bad_signature',
    });
  });

  it('refuses an unsigned request, and one with part of a signature or a line break in a header', () => {
    const value = body('mer_a');
    const headers = signed(value);
    const withoutSignature = Object.fromEntries(
      Object.entries(headers).filter(([name]) => name !== SignatureHeaders.signature),
    );

    expect(verifier().verify('payments.get', route, value)).toEqual({
      accepted: false,
      reason: 'unsigned',
    });
    expect(verifier().verify('payments.get', undefined, value)).toEqual({
      accepted: false,
      reason: 'unsigned',
    });
    for (const broken of [
      withoutSignature,
      { ...headers, [SignatureHeaders.signedAt]: 'yesterday' },
      { ...headers, [KafkaHeaders.CORRELATION_ID]: 'c-1\ngateway.replies' },
    ]) {
      expect(verifier().verify('payments.get', broken, value)).toMatchObject({
        accepted: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses a signature of the wrong length without comparing it', () => {
    const headers = { ...signed(body('mer_a')), [SignatureHeaders.signature]: 'AAAA' };

    expect(verifier().verify('payments.get', headers, body('mer_a'))).toMatchObject({
      accepted: false,
      reason: 'bad_signature',
    });
  });
});
