// What the hub does with a venue's message that the store refuses only for a display field too long
// to keep (a counterparty's nickname, a media link, a file name or type, a quote, a card's or a
// contact's words): names and words are cut, links, types and payload ids dropped, each reported,
// and the message is kept. The message's own ids and text are never touched here (an id must stay
// exact; adapters cut text themselves). One place for every venue.
import type { Attachment, ChatMessage, Conversation, MessagePayload, QuotedMessage } from '../../../shared/model';
import { MAX_FIELD_LENGTH, MAX_QUOTE_LENGTH, clampText } from '../../../shared/messageLimits';
import { isRecord } from '../../../shared/valueChecks';
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
  const quote = message.quote ? fitQuote(message.quote, notes) : undefined;
  const payload = message.payload ? (fitPayloadValue(message.payload, 'payload', notes) as MessagePayload) : undefined;
  return { ...rest, ...(senderName ? { senderName: senderName.text } : {}), ...(attachments ? { attachments } : {}), ...(quote ? { quote } : {}), ...(payload ? { payload } : {}) };
}

/**
 * A quote's words are the quoted sender's (a counterparty's name and text): cut to fit; a quoted id
 * too long to be real points nowhere and is dropped (with the quote, if that was all of it).
 */
function fitQuote(quote: QuotedMessage, notes: string[]): QuotedMessage | undefined {
  const fitted: { -readonly [K in keyof QuotedMessage]: QuotedMessage[K] } = { ...quote };
  if (quote.senderName !== undefined && quote.senderName.length > MAX_FIELD_LENGTH) {
    fitted.senderName = clampText(quote.senderName, MAX_FIELD_LENGTH).text;
    notes.push(`quoted sender name cut from ${quote.senderName.length} chars`);
  }
  if (quote.text !== undefined && quote.text.length > MAX_QUOTE_LENGTH) {
    fitted.text = clampText(quote.text, MAX_QUOTE_LENGTH).text;
    notes.push(`quoted text cut from ${quote.text.length} chars`);
  }
  if (quote.venueMessageId !== undefined && quote.venueMessageId.length > MAX_FIELD_LENGTH) {
    delete fitted.venueMessageId;
    notes.push(`quoted message id dropped (${quote.venueMessageId.length} chars)`);
  }
  return Object.keys(fitted).length > 0 ? fitted : undefined;
}

/** Payload fields a cut would make wrong rather than short: links and ids are dropped instead. */
const DROPPED_WHEN_LONG = /^(url|thumbUrl|coverUrl|iconUrl|action)$|Id$/;

/**
 * A payload's strings fitted to the stored field's cap: words (names, titles, labels, addresses,
 * poll text) are cut, links and ids dropped; a button whose link was dropped goes with it. What is
 * still wrong after that (a live stream without its link) stays for the store's check to refuse.
 */
function fitPayloadValue(value: unknown, path: string, notes: string[], key = ''): unknown {
  if (typeof value === 'string') {
    if (value.length <= MAX_FIELD_LENGTH) return value;
    if (DROPPED_WHEN_LONG.test(key)) {
      notes.push(`${path} dropped (${value.length} chars)`);
      return undefined;
    }
    notes.push(`${path} cut from ${value.length} chars`);
    return clampText(value, MAX_FIELD_LENGTH).text;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const fitted = fitPayloadValue(item, `${path}[${i}]`, notes, key);
      // A button without its action is no button.
      if (isRecord(item) && typeof item['action'] === 'string' && isRecord(fitted) && !('action' in fitted)) continue;
      if (fitted !== undefined) out.push(fitted);
    }
    return out;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [field, inner] of Object.entries(value)) {
      const fitted = fitPayloadValue(inner, `${path}.${field}`, notes, field);
      if (fitted !== undefined) out[field] = fitted;
    }
    return out;
  }
  return value;
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

/**
 * A venue's conversation with its display texts fitted to what every reader accepts (the saved
 * list and the pane read conversations through conversationValidator.ts, which refuses a title,
 * subtitle or preview over MAX_FIELD_LENGTH): a counterparty's nickname too long to keep is cut,
 * each cut noted in `fitted`, rather than the conversation refused by the pane and dropped from
 * the saved list.
 */
export function fitConversation(conversation: Conversation, fitted: string[]): Conversation {
  let out = conversation;
  for (const field of ['title', 'subtitle', 'preview'] as const) {
    const value = out[field];
    if (value === undefined) continue;
    const cut = clampText(value, MAX_FIELD_LENGTH);
    if (!cut.clamped) continue;
    out = { ...out, [field]: cut.text };
    fitted.push(`conversation ${clampText(conversation.conversationId, 80).text}: ${field} cut from ${cut.originalLength} chars`);
  }
  return out;
}
