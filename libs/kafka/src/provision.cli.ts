import { loadConfig, ServiceConfig } from '@finfusion/config';
import { topicPlan } from '@finfusion/contracts';
import { kafkaConnection } from './kafka-options';
import { provisionTopics } from './provision';

// Creates every topic of the plan and brings the planned settings of existing ones in line; for
// deployments that provision before the services start (the Kubernetes Job).
async function main(): Promise<void> {
  const config = loadConfig(ServiceConfig);
  const plan = topicPlan({ minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS });
  const { created, grown, aligned } = await provisionTopics(
    kafkaConnection(config),
    plan,
    config.KAFKA_REPLICATION_FACTOR,
  );
  console.log(
    `topics: ${plan.length} planned, ${created.length} created, ` +
      `${grown.length} given more partitions, ${aligned.length} with settings brought in line`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
