import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './load-config';
import { ServiceConfig } from './service.config';

const pemFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-tls-')), 'ca.pem');
fs.writeFileSync(pemFile, '-----BEGIN CERTIFICATE-----\n');

const load = (env: Record<string, string>) => () => loadConfig(ServiceConfig, env);

describe('the Kafka connection settings', () => {
  it('default to plaintext without a login, provisioning topics', () => {
    const config = loadConfig(ServiceConfig, {});
    expect(config).toMatchObject({
      KAFKA_TLS: false,
      KAFKA_SASL_MECHANISM: '',
      TOPICS_PROVISION: true,
      KAFKA_MIN_INSYNC_REPLICAS: 1,
    });
  });

  it('take TLS with a CA file and a SCRAM login', () => {
    const config = loadConfig(ServiceConfig, {
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: pemFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'finfusion-payments',
      KAFKA_SASL_PASSWORD: 's3cret',
      TOPICS_PROVISION: 'false',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
    expect(config).toMatchObject({ KAFKA_TLS: true, TOPICS_PROVISION: false });
  });

  it('refuse a file that cannot be read, naming the variable', () => {
    expect(load({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      /KAFKA_TLS_CA_FILE: must name a file this process can read/,
    );
  });

  it('refuse TLS files without KAFKA_TLS, and a certificate without its key', () => {
    expect(load({ KAFKA_TLS_CA_FILE: pemFile })).toThrow(
      /KAFKA_TLS_CA_FILE: takes effect only with KAFKA_TLS=true/,
    );
    expect(load({ KAFKA_TLS: 'true', KAFKA_TLS_CERT_FILE: pemFile })).toThrow(
      /KAFKA_TLS_KEY_FILE: must be set with KAFKA_TLS_CERT_FILE/,
    );
  });

  it('refuse a login without a mechanism or a mechanism without a login, hiding the password', () => {
    const noMechanism = load({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2' });
    expect(noMechanism).toThrow(/KAFKA_SASL_PASSWORD: .*\(value hidden\)/);
    expect(noMechanism).not.toThrow(/hunter2/);
    expect(load({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toThrow(
      /KAFKA_SASL_USERNAME: must be set with KAFKA_SASL_MECHANISM/,
    );
    expect(load({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });

  it('refuse more in-sync replicas than replicas', () => {
    expect(load({ KAFKA_MIN_INSYNC_REPLICAS: '2' })).toThrow(
      /KAFKA_MIN_INSYNC_REPLICAS: must not be greater than KAFKA_REPLICATION_FACTOR/,
    );
  });
});
