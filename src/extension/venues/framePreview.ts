// What a rejected frame's report may quote of it: bad input is logged and counted, so its detail
// stays one readable line however long the hostile or broken frame was.

/** `text` cut to `max` characters (an ellipsis marks the cut). */
export function preview(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
