const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether an event is too old to be delivered: the dispatcher remembers the events it took in
 * for `retentionDays` (WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS), so for an event that happened
 * longer ago (one sent again from the log, say) it cannot tell whether its webhooks went out, and
 * sends none rather than a second time.
 */
export const tooOldToDeliver = (createdAt: string, now: Date, retentionDays: number): boolean =>
  now.getTime() - Date.parse(createdAt) > retentionDays * DAY_MS;
