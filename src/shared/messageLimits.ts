// Size caps for a ChatMessage. The validator rejects a message over any of them, so no venue can
// push an unbounded record into the store or the pane; adapters clamp before (clampText) and
// report what they cut as bad input. Lengths are UTF-16 code units (JavaScript string length).

/** Message body: one million code units, about 1 MB of Latin text. */
export const MAX_TEXT_LENGTH = 1_000_000;
/** Every other string: ids, names, URLs, payload fields, failure reasons. */
export const MAX_FIELD_LENGTH = 8192;
/** A quoted excerpt (adapters clamp the quoted message's text to it). */
export const MAX_QUOTE_LENGTH = 4000;
export const MAX_ATTACHMENTS = 20;
/** Mixin's Go SDK accepts 18 buttons per group (its docs say 6). */
export const MAX_BUTTONS = 18;
export const MAX_CONTACTS = 50;
/** WhatsApp polls take 2 to 12 options; a longer list is cut here. */
export const MAX_POLL_OPTIONS = 12;
/** Audio waveform samples (0..255 each). */
export const MAX_WAVEFORM_SAMPLES = 1024;

export interface ClampedText {
  readonly text: string;
  /** The input was longer than the cap and was cut. */
  readonly clamped: boolean;
  /** The input's length, for the bad-input report. */
  readonly originalLength: number;
}

/** Cuts `text` to at most `max` code units without splitting a surrogate pair. */
export function clampText(text: string, max: number = MAX_TEXT_LENGTH): ClampedText {
  if (text.length <= max) return { text, clamped: false, originalLength: text.length };
  let cut = text.slice(0, Math.max(0, max));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return { text: cut, clamped: true, originalLength: text.length };
}
