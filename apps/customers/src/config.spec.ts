import { loadConfig } from '@finfusion/config';
import { CustomersConfig } from './config';
import { undocumentedVariables } from '@finfusion/testing';

describe('CustomersConfig', () => {
  it('defaults to port 3002 and a 5 s safety poll of the relay', () => {
    const config = loadConfig(CustomersConfig, {});
    expect(config).toMatchObject({ PORT: 3002, RELAY_POLL_MS: 5000, RELAY_BATCH_SIZE: 200 });
  });

  it('names a bad relay setting', () => {
    expect(() => loadConfig(CustomersConfig, { RELAY_POLL_MS: 'soon' })).toThrow(/RELAY_POLL_MS/);
  });

  it('has every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(new CustomersConfig(), 'customers')).toEqual([]);
  });
});
