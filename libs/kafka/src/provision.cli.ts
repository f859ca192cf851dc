import { loadConfig, ServiceConfig } from '@finfusion/config';
import { topicPlan } from '@finfusion/contracts';
import { provisionTopics } from './provision';

// Creates every topic of the plan; for deployments that provision before the services start.
async function main(): Promise<void> {
  const config = loadConfig(ServiceConfig);
  const plan = topicPlan();
  const { created, grown } = await provisionTopics(
    config.KAFKA_BROKERS,
    plan,
    config.KAFKA_REPLICATION_FACTOR,
  );
  console.log(
    `topics: ${plan.length} planned, ${created.length} created, ${grown.length} given more partitions`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
