import {
  dlqTopicOf,
  EventTopics,
  PAYMENTS_REPLY_TOPIC,
  RequestTopics,
  REPLY_TOPIC,
  requestTopicsOf,
  topicPlan,
  type TopicSpec,
} from '@finfusion/contracts';

/** The topics this process consumes or produces, with the plan's partition counts. */
export function paymentsTopics(): TopicSpec[] {
  const used = new Set<string>([
    ...requestTopicsOf('payments'),
    REPLY_TOPIC,
    // customers.lookup out, its replies in on this replica's partitions.
    RequestTopics.customers.lookup,
    PAYMENTS_REPLY_TOPIC,
    EventTopics.payments,
    dlqTopicOf(EventTopics.payments),
    EventTopics.customers,
    dlqTopicOf(EventTopics.customers),
  ]);
  return topicPlan().filter((spec) => used.has(spec.topic));
}
