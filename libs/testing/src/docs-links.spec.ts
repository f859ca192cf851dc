import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './env';

/** The README, every page of docs/ and the apps' READMEs, as paths from the repository root. */
function documents(): string[] {
  const docs = fs
    .readdirSync(path.join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join('docs', file));
  const apps = fs
    .readdirSync(path.join(repoRoot, 'apps'))
    .map((app) => path.join('apps', app, 'README.md'))
    .filter((readme) => fs.existsSync(path.join(repoRoot, readme)));
  return ['README.md', ...docs, ...apps].sort();
}

/** Fenced blocks and inline code hold examples, not links. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/`[^`\n]*`/g, 'code');
}

/** Every link and image target of a page, but those that leave the repository. */
function relativeTargets(markdown: string): string[] {
  const targets = [...withoutCode(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    (match) => match[1] ?? '',
  );
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function slugOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings, repeated ones numbered as GitHub numbers them. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const headings = markdown
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm);
  for (const [, heading = ''] of headings) {
    const slug = slugOf(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** What is wrong with one target of `from`, or null when it leads somewhere. */
function problemOf(from: string, target: string): string | null {
  const [pathPart = '', anchor] = target.split('#', 2);
  const file = pathPart === '' ? from : path.join(path.dirname(from), decodeURI(pathPart));
  const absolute = path.join(repoRoot, file);
  if (!absolute.startsWith(repoRoot + path.sep) && absolute !== repoRoot) {
    return `${target}: outside the repository`;
  }
  if (!fs.existsSync(absolute)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return null;
  if (!file.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
  const anchors = anchorsOf(fs.readFileSync(absolute, 'utf8'));
  return anchors.has(anchor) ? null : `${target}: ${file} has no heading #${anchor}`;
}

describe('documentation links', () => {
  it('finds the pages it checks', () => {
    expect(documents()).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md']));
  });

  it.each(documents())('every relative link of %s leads to a file and heading', (document) => {
    const markdown = fs.readFileSync(path.join(repoRoot, document), 'utf8');
    const problems = relativeTargets(markdown)
      .map((target) => problemOf(document, target))
      .filter((problem) => problem !== null);
    expect(problems).toEqual([]);
  });
});

describe('the anchors it expects', () => {
  it.each([
    ['Create a payment: `POST /v2/payments`', 'create-a-payment-post-v2payments'],
    ['Faults: what waits, what is parked', 'faults-what-waits-what-is-parked'],
    ['Why Kafka 4.4.0 with kafkajs', 'why-kafka-440-with-kafkajs'],
    ['402: payment failed', '402-payment-failed'],
  ])('%s is #%s', (heading, anchor) => {
    expect(anchorsOf(`## ${heading}\n`)).toEqual(new Set([anchor]));
  });

  it('numbers a repeated heading', () => {
    expect(anchorsOf('## Results\n\n## Results\n')).toEqual(new Set(['results', 'results-1']));
  });

  it('ignores links in code', () => {
    expect(relativeTargets('`[a](missing.md)`\n\n```\n[b](missing.md)\n```\n[c](here.md)')).toEqual(
      ['here.md'],
    );
  });
});
