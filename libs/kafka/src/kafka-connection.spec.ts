import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaClientConfig, kafkaConnection, type KafkaConnectionConfig } from './kafka-options';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-connection-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const plain: KafkaConnectionConfig = {
  KAFKA_BROKERS: ['b1:9093', 'b2:9093'],
  KAFKA_TLS: false,
  KAFKA_TLS_CA_FILE: '',
  KAFKA_TLS_CERT_FILE: '',
  KAFKA_TLS_KEY_FILE: '',
  KAFKA_SASL_MECHANISM: '',
  KAFKA_SASL_USERNAME: '',
  KAFKA_SASL_PASSWORD: '',
};

describe('kafkaConnection', () => {
  it('is the brokers alone by default', () => {
    expect(kafkaConnection(plain)).toEqual({ brokers: ['b1:9093', 'b2:9093'] });
    const client = kafkaClientConfig({ ...kafkaConnection(plain), clientId: 'x' });
    expect(client.ssl).toBeUndefined();
    expect(client.sasl).toBeUndefined();
  });

  it('caps the retry backoff, which is also how long kafkajs waits to restart a crashed consumer', () => {
    const client = kafkaClientConfig({ ...kafkaConnection(plain), clientId: 'x' });
    expect(client.retry).toMatchObject({ initialRetryTime: 200, maxRetryTime: 5_000 });
  });

  it('reads the CA and the client certificate, and passes the login to kafkajs', () => {
    const connection = kafkaConnection({
      ...plain,
      KAFKA_TLS: true,
      KAFKA_TLS_CA_FILE: write('ca.pem', 'CA'),
      KAFKA_TLS_CERT_FILE: write('cert.pem', 'CERT'),
      KAFKA_TLS_KEY_FILE: write('key.pem', 'KEY'),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'finfusion-payments',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(kafkaClientConfig({ ...connection, clientId: 'x' })).toMatchObject({
      ssl: { ca: 'CA', cert: 'CERT', key: 'KEY' },
      sasl: { mechanism: 'scram-sha-512', username: 'finfusion-payments', password: 's3cret' },
    });
  });

  it("trusts the system's CAs with TLS and no CA file", () => {
    const client = kafkaClientConfig({
      ...kafkaConnection({ ...plain, KAFKA_TLS: true }),
      clientId: 'x',
    });
    expect(client.ssl).toEqual({});
  });
});
