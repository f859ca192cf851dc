import { collectEvents, type CollectedEvent, type EventCollector } from '@finfusion/testing';
import { EventTopics, type PublicEvent } from '@finfusion/contracts';

/** Collectors on both event topics, started before a file's tests and stopped after them. */
export function watchEventTopics(): { payments: EventCollector; customers: EventCollector } {
  const topics = {} as { payments: EventCollector; customers: EventCollector };
  beforeAll(async () => {
    topics.payments = await collectEvents(EventTopics.payments);
    topics.customers = await collectEvents(EventTopics.customers);
  });
  afterAll(async () => {
    await topics.payments.stop();
    await topics.customers.stop();
  });
  return topics;
}

/** Matches the events of one payment or customer, of a type when `type` is given. */
export const eventAbout =
  (id: string, type?: string | ((type: string) => boolean)) =>
  ({ value }: CollectedEvent): boolean => {
    const event = (value ?? {}) as Partial<PublicEvent<{ id: string }>>; // other tests put non-events here too
    if (event.data?.object.id !== id || event.type === undefined) return false;
    if (type === undefined) return true;
    return typeof type === 'string' ? event.type === type : type(event.type);
  };
