import { allRequestTopics, REPLY_TOPIC, topicPlan, type TopicSpec } from '@finfusion/contracts';

/** The gateway produces to every request topic and consumes the reply topic. */
export function gatewayTopics(): TopicSpec[] {
  const used = new Set<string>([...allRequestTopics(), REPLY_TOPIC]);
  return topicPlan().filter((spec) => used.has(spec.topic));
}
