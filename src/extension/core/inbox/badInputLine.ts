// A bad-input report as the hub logs, counts and shows it. Adapters say what was wrong and often
// quote the input (a message id, a field, part of a frame), which a broken or hostile venue can
// make any size or fill with line breaks: each report stays one line of bounded length, here, for
// every venue and every path that reports.
import { clampText } from '../../../shared/messageLimits';

export const MAX_BAD_INPUT_WHERE = 200;
export const MAX_BAD_INPUT_DETAIL = 1000;

/** `text` as one line of at most `max` characters (an ellipsis marks a cut). */
export function badInputLine(text: string, max: number): string {
  // Cut first, so the replace walks at most a few thousand characters of a huge input.
  const line = clampText(text, 2 * max).text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${clampText(line, max - 1).text}…` : line;
}
