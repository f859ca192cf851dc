import { ConfigSource } from 'kafkajs';
import { mergedSettings } from './provision';

const entry = (configName: string, configValue: string, configSource: ConfigSource) => ({
  configName,
  configValue,
  configSource,
  isSensitive: false,
});

describe('mergedSettings', () => {
  it('asks for no change when every planned setting has its value', () => {
    const current = [
      entry('retention.ms', '3600000', ConfigSource.TOPIC_CONFIG),
      entry('segment.ms', '600000', ConfigSource.TOPIC_CONFIG),
    ];
    expect(mergedSettings('t', current, { 'retention.ms': '3600000' })).toBeUndefined();
  });

  it("keeps the topic's own settings and puts the planned ones over them", () => {
    const current = [
      entry('retention.ms', '3600000', ConfigSource.TOPIC_CONFIG),
      entry('segment.ms', '600000', ConfigSource.TOPIC_CONFIG),
      // Inherited from the broker: not the topic's to send back.
      entry('compression.type', 'producer', ConfigSource.DEFAULT_CONFIG),
      entry('log.retention.bytes', '-1', ConfigSource.STATIC_BROKER_CONFIG),
    ];
    expect(
      mergedSettings('t', current, { 'retention.ms': '60000', 'min.insync.replicas': '2' }),
    ).toEqual({ 'retention.ms': '60000', 'segment.ms': '600000', 'min.insync.replicas': '2' });
  });

  it('refuses to alter a topic whose sensitive setting it could not send back', () => {
    const current = [
      { ...entry('some.secret', '', ConfigSource.TOPIC_CONFIG), isSensitive: true },
      entry('retention.ms', '3600000', ConfigSource.TOPIC_CONFIG),
    ];
    expect(() => mergedSettings('events', current, { 'retention.ms': '60000' })).toThrow(
      /topic events: its sensitive settings \(some\.secret\)/,
    );
  });
});
