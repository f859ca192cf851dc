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

  @IsString()
  HOST: string = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @BooleanFromEnv()
  @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  /** Request partitions consumed at once by this process (see libs/contracts TopicPartitions). */
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_CONCURRENCY: number = 6;

  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS: number = 8000;
}
