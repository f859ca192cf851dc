import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { kafkaTopics, kafkaUsers, type StrimziOptions } from './strimzi';

/**
 * Writes the Strimzi KafkaTopic and KafkaUser resources of the topic plan (`npm run k8s:strimzi`,
 * from the repository's root). libs/kafka's strimzi.spec.ts fails when they differ from the plan.
 */
export const STRIMZI_DIR = path.join('infra', 'k8s', 'components', 'strimzi');

/** Production settings: three replicas, two of them in sync before an event write succeeds. */
export const PRODUCTION: StrimziOptions = {
  cluster: 'kafka',
  replicas: 3,
  minInsyncReplicas: 2,
  userPrefix: 'finfusion-',
};

const HEADER =
  '# Generated from the topic plan (libs/contracts/src/topics.ts) by `npm run k8s:strimzi`:\n' +
  '# do not edit by hand; a test fails when this file and the plan differ.\n';

export function strimziFiles(options: StrimziOptions = PRODUCTION): Record<string, string> {
  const documents = (objects: object[]) =>
    HEADER +
    objects
      .map((object) => `---\n${stringify(object, { lineWidth: 0, singleQuote: true })}`)
      .join('');
  return {
    'kafka-topics.yaml': documents(kafkaTopics(options)),
    'kafka-users.yaml': documents(kafkaUsers(options)),
  };
}

function main(): void {
  const dir = path.resolve(STRIMZI_DIR);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(strimziFiles())) {
    fs.writeFileSync(path.join(dir, name), text);
    console.log(`wrote ${path.join(STRIMZI_DIR, name)}`);
  }
}

if (require.main === module) main();
