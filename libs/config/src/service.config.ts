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
import { BooleanFromEnv, ListFromEnv } from './load-config';

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

  @IsInt()
  @Min(1)
  @Max(3)
  KAFKA_REPLICATION_FACTOR: number = 1;

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
