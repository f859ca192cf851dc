import { topicsOf, type TopicSpec } from '@finfusion/contracts';

/** The topics this process consumes or produces, with the plan's partition counts and settings. */
export const dispatcherTopics = (): TopicSpec[] => topicsOf('webhook-dispatcher');
