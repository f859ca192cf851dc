import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { EventTopics, dlqTopicOf, TopicPartitions } from '@finfusion/contracts';
import { exitOnBootFailure, runService } from '@finfusion/runtime';
import { AppModule, SCHEMA } from './app.module';
import { DispatcherConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig(DispatcherConfig);
  await runService({
    name: 'webhook-dispatcher',
    module: AppModule.forRoot(config),
    config,
    schema: SCHEMA,
    kafkaServer: false,
    topics: Object.values(EventTopics).flatMap((topic) => [
      { topic, numPartitions: TopicPartitions.events },
      { topic: dlqTopicOf(topic), numPartitions: TopicPartitions.deadLetter },
    ]),
  });
}

main().catch(exitOnBootFailure);
