import { Injectable } from '@nestjs/common';

/**
 * The time source of the handlers, workers and scheduled jobs; the domain receives time, it never
 * reads it.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
