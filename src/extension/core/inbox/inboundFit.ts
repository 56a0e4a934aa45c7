// What the hub does with a venue's message that the store refuses only for a display field too long
// to keep (a counterparty's nickname, a media link, a file name or type, a quote's sender or the id
// it points to): the name is cut and the link, type or reference dropped, each reported, and the
// message is kept. The message's own ids and its text are never touched here (an id must stay
// exact; adapters cut text themselves). One place for every venue.
import type { Attachment, ChatMessage, QuotedMessage } from '../../../shared/model';
import { MAX_FIELD_LENGTH, clampText } from '../../../shared/messageLimits';
import { checkForStore, type CheckedMessage } from '../store/checkedMessage';

/**
 * The store's copy of `message`, fitting over-long display fields when that is all that stands in
 * the way (what was fitted goes to `fitted`); otherwise what is wrong with it. The usual message
 * is checked once: fitting is tried only after a refusal.
 */
export function checkInbound(message: ChatMessage, fitted: string[]): CheckedMessage | string {
  const checked = checkForStore(message);
  if (typeof checked !== 'string') return checked;
  const notes: string[] = [];
  const fit = fitDisplayFields(message, notes);
  if (notes.length === 0) return checked;
  const again = checkForStore(fit);
  if (typeof again === 'string') return checked;
  fitted.push(...notes.map((note) => `message ${clampText(message.venueMessageId ?? message.key, 80).text}: ${note}; kept the message`));
  return again;
}

function fitDisplayFields(message: ChatMessage, notes: string[]): ChatMessage {
  const senderName = message.senderName === undefined ? undefined : clampText(message.senderName, MAX_FIELD_LENGTH);
  if (senderName?.clamped) notes.push(`sender name cut from ${senderName.originalLength} chars`);
  const attachments = message.attachments?.map((a, i) => fitAttachment(a, i, notes));
  const { quote: _quote, ...rest } = message;
  const quote = message.quote && fitQuote(message.quote, notes);
  return { ...rest, ...(senderName ? { senderName: senderName.text } : {}), ...(attachments ? { attachments } : {}), ...(quote ? { quote } : {}) };
}

/** A quote's sender name is cut; a reference to a message id no store could hold points nowhere and is dropped (with the quote, if that was all of it). */
function fitQuote(quote: QuotedMessage, notes: string[]): QuotedMessage | undefined {
  const { venueMessageId, senderName, ...rest } = quote;
  const fitted: { -readonly [K in keyof QuotedMessage]: QuotedMessage[K] } = { ...rest };
  if (venueMessageId !== undefined) {
    if (venueMessageId.length > MAX_FIELD_LENGTH) notes.push(`quote reference dropped (${venueMessageId.length} chars)`);
    else fitted.venueMessageId = venueMessageId;
  }
  if (senderName !== undefined) {
    const name = clampText(senderName, MAX_FIELD_LENGTH);
    if (name.clamped) notes.push(`quoted sender name cut from ${name.originalLength} chars`);
    fitted.senderName = name.text;
  }
  return Object.keys(fitted).length > 0 ? fitted : undefined;
}

function fitAttachment(a: Attachment, index: number, notes: string[]): Attachment {
  const fitted: { -readonly [K in keyof Attachment]: Attachment[K] } = { ...a };
  for (const field of ['url', 'thumbUrl', 'mimeType'] as const) {
    const value = a[field];
    if (value !== undefined && value.length > MAX_FIELD_LENGTH) {
      delete fitted[field];
      notes.push(`attachment ${index + 1} ${field} dropped (${value.length} chars)`);
    }
  }
  if (a.name !== undefined && a.name.length > MAX_FIELD_LENGTH) {
    fitted.name = clampText(a.name, MAX_FIELD_LENGTH).text;
    notes.push(`attachment ${index + 1} name cut from ${a.name.length} chars`);
  }
  return fitted;
}
