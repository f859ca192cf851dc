import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { childProcessEnv, repoRoot } from './env';

const run = promisify(execFile);

/**
 * A broker run as managed clusters are (infra/kafka/kafka.sh with KAFKA_SECURE=1): SASL over TLS
 * on `saslBrokers`, TLS with a required client certificate on `mtlsBrokers`, ACLs enforced.
 * It starts empty, with the given users; `admin` is a super user, as is the client certificate.
 */
export interface SecureBroker {
  saslBrokers: string[];
  mtlsBrokers: string[];
  /** PEM: the CA that signed the broker's and the client's certificates. */
  ca: string;
  /** The same CA as a file, as a service's KAFKA_TLS_CA_FILE names it. */
  caFile: string;
  clientCert: string;
  clientKey: string;
  stop(): Promise<void>;
}

/** Out of the way of the tests' broker (TEST_KAFKA_PORT) and the chaos run's (+9). */
export const secureBrokerPort = (): number => Number(process.env.TEST_KAFKA_PORT ?? 19092) + 20;

export async function startSecureBroker(users: Record<string, string>): Promise<SecureBroker> {
  const port = secureBrokerPort();
  const env = {
    ...childProcessEnv(),
    KAFKA_SECURE: '1',
    KAFKA_PORT: String(port),
    KAFKA_HEAP: '256m',
    KAFKA_SASL_USERS: Object.entries(users)
      .map(([name, password]) => `${name}=${password}`)
      .join(','),
  };
  const script = path.join(repoRoot, 'infra', 'kafka', 'kafka.sh');
  await run('bash', [script, 'stop'], { env, cwd: repoRoot });
  await run('bash', [script, 'start'], { env, cwd: repoRoot });
  const tls = path.join(repoRoot, '.cache', 'kafka', `data-${port}`, 'tls');
  const read = (file: string) => fs.readFileSync(path.join(tls, file), 'utf8');
  return {
    saslBrokers: [`127.0.0.1:${port}`],
    mtlsBrokers: [`127.0.0.1:${port + 3}`],
    ca: read('ca.pem'),
    caFile: path.join(tls, 'ca.pem'),
    clientCert: read('client.pem'),
    clientKey: read('client-key.pem'),
    stop: async () => {
      await run('bash', [script, 'stop'], { env, cwd: repoRoot });
    },
  };
}
