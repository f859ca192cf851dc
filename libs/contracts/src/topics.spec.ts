import { dlqTopicOf, EventTopics, topicAccess, topicPlan, topicsOf, type AppName } from './topics';

const apps: AppName[] = ['gateway', 'payments', 'customers', 'webhook-dispatcher'];

describe('the topic plan', () => {
  it('names every setting of every topic explicitly', () => {
    for (const spec of topicPlan()) {
      expect(Object.keys(spec.config ?? {}).sort()).toEqual([
        'cleanup.policy',
        'max.message.bytes',
        'min.insync.replicas',
        'retention.ms',
      ]);
    }
  });

  it('asks for more in-sync replicas on the event and dead-letter topics only', () => {
    const plan = topicPlan({ minInsyncReplicas: 2 });
    const durable = new Set(
      Object.values(EventTopics).flatMap((topic) => [topic, dlqTopicOf(topic)]),
    );
    for (const spec of plan) {
      expect(spec.config?.['min.insync.replicas']).toBe(durable.has(spec.topic) ? '2' : '1');
    }
  });

  it('gives every topic a producer, and every topic but the dead letters a consumer', () => {
    const produced = new Set(apps.flatMap((app) => topicAccess(app).produces));
    const consumed = new Set(apps.flatMap((app) => topicAccess(app).consumes));
    for (const { topic } of topicPlan()) {
      expect(produced.has(topic) ? topic : `${topic} has no producer`).toBe(topic);
      if (!topic.endsWith('.dlq')) {
        expect(consumed.has(topic) ? topic : `${topic} has no consumer`).toBe(topic);
      }
    }
  });

  it("gives each app only the plan's topics it reads or writes", () => {
    const planned = new Set(topicPlan().map((spec) => spec.topic));
    for (const app of apps) {
      const { consumes, produces } = topicAccess(app);
      for (const topic of [...consumes, ...produces]) expect(planned.has(topic)).toBe(true);
      expect(new Set(topicsOf(app).map((spec) => spec.topic))).toEqual(
        new Set([...consumes, ...produces]),
      );
    }
  });
});
