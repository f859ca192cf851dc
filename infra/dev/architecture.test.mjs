// The import boundaries of eslint.config.mjs report what they forbid: each case lints a file that
// does not exist (its code given here) at a path inside the repository, so a misspelt selector or a
// plugin upgrade that silently stops matching fails this test instead of letting imports through.
//
//   node --test infra/dev/architecture.test.mjs      (a step of `npm test` and `npm run check`)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { root } from './common.mjs';

const eslint = new ESLint({
  cwd: root,
  // Only the boundaries are under test: no type information is needed for them, and the project
  // service refuses files that are not on disk.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId.startsWith('boundaries/'),
});

/**
 * Lints `lines` as the file `filePath` and returns the lines (1-based) whose import is refused.
 *
 * @param {string} filePath relative to the repository root
 * @param {string[]} lines one import a line
 * @returns {Promise<number[]>}
 */
async function refusedLines(filePath, lines) {
  const [result] = await eslint.lintText(`${lines.join('\n')}\n`, { filePath });
  assert.ok(result, `no lint result for ${filePath}`);
  const fatal = result.messages.filter((message) => message.fatal);
  assert.deepEqual(fatal, [], `${filePath} does not parse`);
  return result.messages
    .filter((message) => message.ruleId === 'boundaries/dependencies')
    .map((message) => message.line);
}

void test('a domain folder imports only its own files and @finfusion/contracts', async () => {
  const refused = await refusedLines('apps/payments/src/payments/domain/fixture.ts', [
    "export * from '@finfusion/contracts';",
    "export * from './payment';",
    "export * from '../../main';", // the same app, outside the domain
    "export * from '@finfusion/event-store';", // a lib
    "export * from '@nestjs/common';", // a package
    "export * from 'node:crypto';", // a built-in
    "export * from '../../../../customers/src/main';", // another app
  ]);
  assert.deepEqual(refused, [3, 4, 5, 6, 7]);
});

void test('an app never imports another app, by path or by package name', async () => {
  const refused = await refusedLines('apps/payments/src/fixture.ts', [
    "export * from './main';",
    "export * from '@finfusion/contracts';",
    "export * from '@nestjs/common';",
    "export * from '../../customers/src/main';",
    "export * from '@finfusion/gateway';",
  ]);
  assert.deepEqual(refused, [4, 5]);
});

void test('a lib never imports an app, by path or by package name', async () => {
  const refused = await refusedLines('libs/kafka/src/fixture.ts', [
    "export * from '@finfusion/contracts';",
    "export * from '../../../apps/customers/src/main';",
    "export * from '@finfusion/gateway';",
  ]);
  assert.deepEqual(refused, [2, 3]);
});

void test('an end-to-end test never imports an app, by path or by package name', async () => {
  const refused = await refusedLines('e2e/payments/fixture.ts', [
    "export * from '@finfusion/testing';",
    "export * from '../support/payments.fixture';",
    "export * from '../../apps/gateway/src/main';",
    "export * from '@finfusion/gateway';",
    "export * from '../../apps/payments/src/payments/domain/payment';",
  ]);
  assert.deepEqual(refused, [3, 4, 5]);
});
