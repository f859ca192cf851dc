import { DatabaseConfig } from './database.config';
import { loadConfig } from './load-config';

describe('DatabaseConfig, the settings of a migrate command', () => {
  it('needs no app key in production, and grants nobody by default', () => {
    const config = loadConfig(DatabaseConfig, {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://finfusion_owner:pw@db:5432/finfusion',
    });
    expect(config).toEqual({
      DATABASE_URL: 'postgres://finfusion_owner:pw@db:5432/finfusion',
      DATABASE_SERVICE_ROLE: '',
    });
  });

  it('takes a role name as Postgres spells it unquoted, and refuses anything else', () => {
    const role = (name: string) => () =>
      loadConfig(DatabaseConfig, { DATABASE_SERVICE_ROLE: name });
    expect(role('finfusion_webhook_dispatcher')()).toMatchObject({
      DATABASE_SERVICE_ROLE: 'finfusion_webhook_dispatcher',
    });
    for (const bad of ['Payments', '1role', 'a"; DROP ROLE x; --', 'r'.repeat(64)]) {
      expect(role(bad)).toThrow(/DATABASE_SERVICE_ROLE: must be a role name/);
    }
    expect(() => loadConfig(DatabaseConfig, { DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ URL/,
    );
  });
});
