import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { OnlyWith, ReadableFileOrUnset, SetWith } from './kafka-security';
import { BooleanFromEnv, ListFromEnv } from './load-config';
import { NotAbove } from './numbers';

/** What every service process needs; each app extends it with its own variables. */
export class ServiceConfig {
  /** `production` refuses the public development defaults of secret keys. */
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: string = 'development';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/finfusion';

  @ListFromEnv()
  @ArrayNotEmpty()
  @IsString({ each: true })
  @Matches(/^[^\s:]+:\d+$/, { each: true, message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  /** TLS to the brokers; with no CA file, the system's CAs are trusted. */
  @BooleanFromEnv()
  @IsBoolean()
  KAFKA_TLS: boolean = false;

  /** PEM file of the CA that signed the brokers' certificates (Strimzi: the cluster CA). */
  @IsString()
  @OnlyWith('KAFKA_TLS')
  @ReadableFileOrUnset()
  KAFKA_TLS_CA_FILE: string = '';

  /** PEM client certificate, for brokers that authenticate clients by mutual TLS. */
  @IsString()
  @OnlyWith('KAFKA_TLS')
  @SetWith('KAFKA_TLS_KEY_FILE')
  @ReadableFileOrUnset()
  KAFKA_TLS_CERT_FILE: string = '';

  /** PEM private key of KAFKA_TLS_CERT_FILE. */
  @IsString()
  @OnlyWith('KAFKA_TLS')
  @SetWith('KAFKA_TLS_CERT_FILE')
  @ReadableFileOrUnset()
  KAFKA_TLS_KEY_FILE: string = '';

  /** A SASL login to the brokers (empty: none). PLAIN sends the password as is: use it over TLS. */
  @IsIn(['', 'plain', 'scram-sha-256', 'scram-sha-512'])
  KAFKA_SASL_MECHANISM: string = '';

  @IsString()
  @SetWith('KAFKA_SASL_MECHANISM')
  KAFKA_SASL_USERNAME: string = '';

  @IsString()
  @SetWith('KAFKA_SASL_MECHANISM')
  KAFKA_SASL_PASSWORD: string = '';

  /**
   * Whether the process creates its missing topics, adds partitions and sets the plan's topic
   * settings at start-up. false where the platform owns topics (Strimzi KafkaTopic resources):
   * the process then only checks that its topics exist, and needs no Create or AlterConfigs
   * rights.
   */
  @BooleanFromEnv()
  @IsBoolean()
  TOPICS_PROVISION: boolean = true;

  /** Replication factor of the topics this process creates. */
  @IsInt()
  @Min(1)
  @Max(5)
  KAFKA_REPLICATION_FACTOR: number = 1;

  /** min.insync.replicas of the event and dead-letter topics it provisions. */
  @IsInt()
  @Min(1)
  @NotAbove('KAFKA_REPLICATION_FACTOR')
  KAFKA_MIN_INSYNC_REPLICAS: number = 1;

  /** Postgres connections of the process's pool. */
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  @IsString()
  HOST: string = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @BooleanFromEnv()
  @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  /** Kafka requests a service replica handles at once (its share of the database pool waits). */
  @IsInt()
  @Min(1)
  @Max(1024)
  KAFKA_MAX_IN_FLIGHT: number = 64;

  /** How long a Kafka record waits for others to share its produce request; 0: the same tick. */
  @IsInt()
  @Min(0)
  @Max(20)
  KAFKA_LINGER_MS: number = 0;

  /** Request and reply offsets are committed this often (at least once: replies go out first). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  KAFKA_COMMIT_INTERVAL_MS: number = 1000;

  /**
   * How long a stopping process may drain before it exits anyway. A service's drain window is
   * longer than the gateway's REQUEST_TIMEOUT_MS (10 s), so a request the gateway still waits for
   * is answered; the gateway's own is longer still (its config checks that).
   */
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS: number = 15_000;
}
