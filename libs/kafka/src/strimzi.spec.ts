import fs from 'node:fs';
import path from 'node:path';
import { topicAccess, topicPlan } from '@finfusion/contracts';
import { STRIMZI_DIR, PRODUCTION, strimziFiles } from './strimzi.cli';
import { aclsOf, APPS, kafkaTopics, kafkaUsers } from './strimzi';

const root = path.resolve(__dirname, '../../..');

describe('the Strimzi resources', () => {
  it('are committed as the topic plan generates them', () => {
    for (const [name, text] of Object.entries(strimziFiles())) {
      const file = path.join(root, STRIMZI_DIR, name);
      const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)';
      // On a difference: npm run k8s:strimzi, and review the change.
      expect(`${name}:\n${committed}`).toBe(`${name}:\n${text}`);
    }
  });

  it('declare every planned topic with its partitions and settings', () => {
    const topics = kafkaTopics(PRODUCTION);
    expect(topics.map((t) => t.spec.topicName)).toEqual(topicPlan().map((s) => s.topic));
    for (const topic of topics) {
      expect(topic.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(topic.spec.replicas).toBe(3);
    }
    const events = topics.find((t) => t.spec.topicName === 'payments.payment.events');
    expect(events?.spec.config['min.insync.replicas']).toBe('2');
  });

  it('give each app Read on what it consumes, Write on what it produces, and its groups only', () => {
    for (const user of kafkaUsers(PRODUCTION)) {
      const app = APPS.find((a) => user.metadata.name === `finfusion-${a}`);
      if (app === undefined) throw new Error(`unexpected user ${user.metadata.name}`);
      const acls = user.spec.authorization.acls;
      const { consumes, produces } = topicAccess(app);
      const on = (operation: string) =>
        acls
          .filter((acl) => acl.resource.type === 'topic' && acl.operations.includes(operation))
          .map((acl) => acl.resource.name)
          .sort();
      expect(on('Read')).toEqual([...consumes].sort());
      expect(on('Write')).toEqual([...produces].sort());
      expect(acls.filter((acl) => acl.resource.type === 'group')).toEqual([
        { resource: { type: 'group', name: app, patternType: 'prefix' }, operations: ['Read'] },
      ]);
      for (const acl of acls) {
        expect(acl.operations).not.toContain('Create');
        expect(acl.operations).not.toContain('Alter');
        expect(acl.operations).not.toContain('AlterConfigs');
      }
    }
  });

  it('keep the gateway from reading requests or writing events', () => {
    const gateway = aclsOf('gateway');
    const writes = gateway.filter((acl) => acl.operations.includes('Write'));
    expect(writes.map((acl) => acl.resource.name)).not.toContain('payments.payment.events');
    expect(
      gateway.filter((acl) => acl.operations.includes('Read') && acl.resource.type === 'topic'),
    ).toEqual([
      {
        resource: { type: 'topic', name: 'gateway.replies', patternType: 'literal' },
        operations: ['Read', 'Describe'],
      },
    ]);
  });
});
