import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateSecret, signatureHeaders } from './signer';

const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', data: { object: {} } });

describe('generateSecret', () => {
  it('is whsec_ and the base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 100 }, generateSecret));
    expect(secrets.size).toBe(100);
  });
});

describe('signatureHeaders', () => {
  it('sets webhook-id, webhook-timestamp in seconds and one v1 signature', () => {
    const headers = signatureHeaders('evt_1', new Date('2026-03-15T10:30:00.900Z'), body, [
      generateSecret(),
    ]);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe(String(Date.parse('2026-03-15T10:30:00Z') / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('verifies with the standardwebhooks library', () => {
    const secret = generateSecret();
    const headers = signatureHeaders('evt_1', new Date(), body, [secret]);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('does not verify with another secret, another body or another id', () => {
    const secret = generateSecret();
    const headers = { ...signatureHeaders('evt_1', new Date(), body, [secret]) };
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow(
      WebhookVerificationError,
    );
  });

  it('signs with every secret during a rotation, each verifying on its own', () => {
    const [previous, next] = [generateSecret(), generateSecret()];
    const headers = { ...signatureHeaders('evt_1', new Date(), body, [next, previous]) };
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures.every((signature) => signature.startsWith('v1,'))).toBe(true);
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('dates each attempt, so an old attempt is refused by the receiver’s tolerance', () => {
    const secret = generateSecret();
    const stale = {
      ...signatureHeaders('evt_1', new Date(Date.now() - 3_600_000), body, [secret]),
    };
    expect(() => new Webhook(secret).verify(body, stale)).toThrow(/too old/);
  });

  it('refuses to sign without a secret', () => {
    expect(() => signatureHeaders('evt_1', new Date(), body, [])).toThrow(/secret/);
  });
});
