// What an error message may echo back. A merchant who types a card number where a key or an id
// belongs must not get it back in a response (never echoed): text holding six or more
// digits, grouped or not, is not repeated. Ids and field names have no such runs.

const DIGIT_RUN = /\d(?:[ -]?\d){5,}/;

/** Whether text has six or more digits in a row (spaces or dashes between them allowed). */
export const mayHoldCardDigits = (text: string): boolean => DIGIT_RUN.test(text);

/**
 * A dotted path cut before its first segment that may hold card digits: the part that is safe to
 * name in `param`. Undefined when even the first segment is not.
 */
export function echoablePath(path: string): string | undefined {
  const kept: string[] = [];
  for (const segment of path.split('.')) {
    if (mayHoldCardDigits(segment)) break;
    kept.push(segment);
  }
  return kept.length === 0 ? undefined : kept.join('.');
}
