// Venue lists checked item by item: one malformed item costs that item (reported), never the page.
import * as z from 'zod';
import { MAX_VENUE_WORDS, preview } from './framePreview';

export function parseListItems<T extends z.ZodType>(rows: readonly unknown[], schema: T, where: string, onBadItem: ((detail: string) => void) | undefined): z.output<T>[] {
  const good: z.output<T>[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) good.push(parsed.data);
    else onBadItem?.(`${where}: an item was skipped: ${preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)}`);
  }
  return good;
}
