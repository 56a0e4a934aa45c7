// A quoted reply is built from the STORED message the user answers, never from text the pane sends:
// the pane names the message by its key only, so a confused or hostile pane cannot make a reply
// quote words the counterparty never wrote.
import { previewText } from '../../../shared/messagePreview';
import type { ChatMessage, QuotedMessage } from '../../../shared/model';
import * as l10n from '@vscode/l10n';

/** Longest quote excerpt, in code points (the venue needs only the id; the text is for our pane). */
export const QUOTE_EXCERPT_LENGTH = 200;

/** The reply cannot be sent as asked; the message says why, for the user. */
export class ReplyError extends Error {
  readonly code = 'bad-reply';
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

export interface ReplyTarget {
  readonly accountId: string;
  readonly conversationId: string;
  /** The key of the message being answered. */
  readonly key: string;
}

/**
 * The quote for a reply to `stored` (what `get(key)` returned), or a ReplyError saying why that
 * message cannot be answered: another conversation, no venue id yet, a system line, withdrawn.
 */
export function quoteForReply(target: ReplyTarget, stored: ChatMessage | undefined): QuotedMessage {
  if (!stored || stored.accountId !== target.accountId || stored.conversationId !== target.conversationId) {
    throw new ReplyError(l10n.t('The message you are replying to is not in this conversation.'));
  }
  if (stored.direction === 'system' || stored.kind === 'gap' || stored.kind === 'system' || stored.kind === 'recall') {
    throw new ReplyError(l10n.t('Only messages can be replied to, not events.'));
  }
  if (stored.recalled) throw new ReplyError(l10n.t('That message was withdrawn; it cannot be replied to.'));
  if (!stored.venueMessageId) throw new ReplyError(l10n.t('That message has not reached the venue yet; reply once it is sent.'));
  const text = excerptOf(stored);
  return {
    venueMessageId: stored.venueMessageId,
    ...(stored.direction === 'out' ? { fromUs: true } : stored.senderName !== undefined ? { senderName: stored.senderName } : {}),
    ...(text ? { text } : {}),
  };
}

/** Plain text on one line, clipped by code points; other kinds as their preview ("[Image] receipt"). */
function excerptOf(message: ChatMessage): string {
  if (message.kind !== 'text' && message.kind !== 'markdown') return previewText(message);
  const flat = (message.text ?? '').replace(/\s+/g, ' ').trim();
  const points = [...flat];
  return points.length > QUOTE_EXCERPT_LENGTH ? `${points.slice(0, QUOTE_EXCERPT_LENGTH).join('')}…` : flat;
}
