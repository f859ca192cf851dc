import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './env';

/** The variables of a configuration object that the README's Configuration tables do not name. */
export function undocumentedVariables(config: object): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  return Object.keys(config).filter((name) => !readme.includes(`| \`${name}\``));
}
