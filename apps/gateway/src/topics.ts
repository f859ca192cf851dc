import { allRequestTopics, replyTopicOf, topicPlan, type TopicSpec } from '@finfusion/contracts';

/** The gateway produces to every request topic and consumes every reply topic. */
export function gatewayTopics(): TopicSpec[] {
  const used = new Set<string>(allRequestTopics().flatMap((topic) => [topic, replyTopicOf(topic)]));
  return topicPlan().filter((spec) => used.has(spec.topic));
}
