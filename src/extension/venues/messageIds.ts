// Venue message ids as text: numeric ids (often beyond 2^53) compare as numbers of any length,
// anything else as text. Used to find the oldest id of a page (a history cursor).
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The smallest id of a list (undefined when empty). */
export function smallestId(ids: Iterable<string>): string | undefined {
  let min: string | undefined;
  for (const id of ids) if (min === undefined || compareIds(id, min) < 0) min = id;
  return min;
}
