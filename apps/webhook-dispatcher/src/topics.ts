import {
  dlqTopicOf,
  EventTopics,
  REPLY_TOPIC,
  requestTopicsOf,
  topicPlan,
  type TopicSpec,
} from '@finfusion/contracts';

/** The topics this process consumes or produces, with the plan's partition counts. */
export function dispatcherTopics(): TopicSpec[] {
  const used = new Set<string>([
    ...requestTopicsOf('webhooks'),
    REPLY_TOPIC,
    ...Object.values(EventTopics).flatMap((topic) => [topic, dlqTopicOf(topic)]),
  ]);
  return topicPlan().filter((spec) => used.has(spec.topic));
}
