import {
  dlqTopicOf,
  EventTopics,
  PAYMENTS_REPLY_TOPIC,
  REPLY_TOPIC,
  requestTopicsOf,
  topicPlan,
  type TopicSpec,
} from '@finfusion/contracts';

/** The topics this process consumes or produces, with the plan's partition counts. */
export function customersTopics(): TopicSpec[] {
  const used = new Set<string>([
    ...requestTopicsOf('customers'),
    REPLY_TOPIC,
    // customers.lookup answers payments there.
    PAYMENTS_REPLY_TOPIC,
    EventTopics.customers,
    dlqTopicOf(EventTopics.customers),
  ]);
  return topicPlan().filter((spec) => used.has(spec.topic));
}
