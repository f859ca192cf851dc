import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { BooleanFromEnv, ServiceConfig } from '@finfusion/config';

export class DispatcherConfig extends ServiceConfig {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3003;

  /** Development only: lets merchants register http:// endpoints. */
  @BooleanFromEnv()
  @IsBoolean()
  WEBHOOK_ALLOW_HTTP: boolean = false;

  /** Development only: lets endpoints resolve to loopback addresses. */
  @BooleanFromEnv()
  @IsBoolean()
  WEBHOOK_ALLOW_LOOPBACK: boolean = false;
}
