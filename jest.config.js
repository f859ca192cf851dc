// One jest run, three tiers picked by file name.
const fs = require('node:fs');
const path = require('node:path');

const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc.jest.json'), 'utf8'));
const libs = fs.readdirSync(path.join(__dirname, 'libs')).join('|');

const base = {
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/e2e'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { [`^@finfusion/(${libs})$`]: '<rootDir>/libs/$1/src' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

module.exports = {
  // Integration and end-to-end tests wait on real brokers and databases; unit tests finish fast anyway.
  testTimeout: 60_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts', '<rootDir>/e2e/**/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.int-spec.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      // The whole stack, reached only from outside: HTTP, Kafka and the test database.
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/stack.global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/stack.global-teardown.ts',
    },
  ],
};
