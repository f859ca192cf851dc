import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './env';

/** The page that documents every configuration variable, one `## ` section per app. */
export const CONFIGURATION_DOC = path.join(repoRoot, 'docs', 'configuration.md');

/** The section of docs/configuration.md that every app's variables may be listed in. */
const COMMON_SECTION = 'Common to every app';

/**
 * The variables of an app's configuration object that docs/configuration.md does not name in a
 * table row of the app's own section or of the common one.
 */
export function undocumentedVariables(config: object, app: string): string[] {
  const sections = sectionsOf(fs.readFileSync(CONFIGURATION_DOC, 'utf8'));
  const own = sections.get(app);
  if (own === undefined) throw new Error(`docs/configuration.md has no "## ${app}" section`);
  const documented = `${sections.get(COMMON_SECTION) ?? ''}\n${own}`;
  return Object.keys(config).filter((name) => !documented.includes(`| \`${name}\``));
}

/** Each `## ` heading's text, mapped to the lines under it up to the next one. */
function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const section of markdown.split(/^## /m).slice(1)) {
    const newline = section.indexOf('\n');
    sections.set(section.slice(0, newline).trim(), section.slice(newline + 1));
  }
  return sections;
}
