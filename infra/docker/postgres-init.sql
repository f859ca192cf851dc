-- docker-compose.yml's Postgres, when it first initialises its volume: the schemas' owner, which
-- the migrate steps connect as, and one login per service, which the migrate steps grant their
-- rights (docs/operations.md#postgres-roles-and-grants). Development passwords: the role names.
CREATE ROLE finfusion_owner LOGIN PASSWORD 'finfusion_owner';
CREATE ROLE finfusion_gateway LOGIN PASSWORD 'finfusion_gateway';
CREATE ROLE finfusion_payments LOGIN PASSWORD 'finfusion_payments';
CREATE ROLE finfusion_customers LOGIN PASSWORD 'finfusion_customers';
CREATE ROLE finfusion_webhook_dispatcher LOGIN PASSWORD 'finfusion_webhook_dispatcher';
GRANT CONNECT, CREATE ON DATABASE finfusion TO finfusion_owner;
