import { NotifyOnAppendMigration } from '@finfusion/event-store';

/** Each append notifies at commit, so the relay wakes instead of polling. */
export class NotifyEventAppends1764700000000 extends NotifyOnAppendMigration {
  readonly name = 'NotifyEventAppends1764700000000';
}
