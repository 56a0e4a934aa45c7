// What a rejected frame's report, or an error message, may quote of what a venue sent: bad input
// and errors are logged, counted and shown, so each stays one readable line however long the
// hostile or broken frame or reply was.

/** `text` cut to `max` characters (an ellipsis marks the cut). */
export function preview(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The most of a venue's own words (an error reply's message) that an error message quotes. */
export const MAX_VENUE_WORDS = 300;

/**
 * A venue's words for an error message: one line (runs of whitespace, line breaks included, become
 * one space) of at most MAX_VENUE_WORDS characters. The words come from the reply body, which a
 * broken or hostile venue can make any size; the message is shown, logged and kept.
 */
export function venueWords(text: string): string {
  // Cut first: the replace then walks a few hundred characters, not a 16 MB body.
  return preview(text.slice(0, 4 * MAX_VENUE_WORDS).replace(/\s+/g, ' ').trim(), MAX_VENUE_WORDS);
}
