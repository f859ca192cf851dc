import { RefreshNotifyOnAppendMigration } from '@finfusion/event-store';

/**
 * Brings a log whose append trigger notified on every commit to today's: appends notify only
 * while a subscription sleeps (`sleeping_until`). On a new database it changes nothing.
 */
export class NotifySleepingSubscriptions1764800000000 extends RefreshNotifyOnAppendMigration {
  readonly name = 'NotifySleepingSubscriptions1764800000000';
}
