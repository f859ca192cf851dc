// What the sweep may remove, decided from the settings and the time passed in. Pure.

const DAY_MS = 24 * 3600 * 1000;

export interface RetentionSettings {
  /** Finished (succeeded or failed) deliveries and their attempts, after they last changed. */
  deliveryRetentionDays: number;
  /**
   * Taken-in events, after they arrived, once no delivery refers to them. They are what makes a
   * redelivered Kafka record a no-op, so this must exceed how long a record can come again: the
   * event topics' retention (and a parked record's stay on its .dlq topic before a replay).
   */
  receivedEventRetentionDays: number;
}

export interface RetentionCutoffs {
  /** Finished deliveries last changed before this go, with their attempts. */
  deliveriesBefore: Date;
  /** Events received before this go, unless a delivery still refers to them. */
  receivedEventsBefore: Date;
}

export const retentionCutoffs = (settings: RetentionSettings, now: Date): RetentionCutoffs => ({
  deliveriesBefore: new Date(now.getTime() - settings.deliveryRetentionDays * DAY_MS),
  receivedEventsBefore: new Date(now.getTime() - settings.receivedEventRetentionDays * DAY_MS),
});
