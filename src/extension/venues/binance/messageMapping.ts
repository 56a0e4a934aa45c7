// Binance chat messages (pushed frames and history items, one family) -> the normalised model
// (docs/venue-protocols.md, Binance: message types). Keys are (orderNo, id); our own sends carry
// our client id as `uuid`, which becomes the message's clientMessageId so the echo merges into the
// pending record.
import type { Attachment, ChatMessage } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { clampText } from '../../../shared/messageLimits';
import { parseVenueTime } from '../../core/venueTime';
import { lookupTable } from '../lookupTable';
import * as l10n from '@vscode/l10n';

/** What history items and pushed frames have in common. */
export interface BinanceMessageFields {
  readonly id: string;
  readonly uuid?: string | null;
  readonly type: string;
  readonly content?: string | null;
  readonly createTime: number;
  readonly fromNickName?: string | null;
  readonly self?: boolean | null;
  readonly imageUrl?: string | null;
  readonly thumbnailUrl?: string | null;
  readonly imageType?: string | null;
  readonly width?: number | null;
  readonly height?: number | null;
}

type StatusLine = 'awaiting-payment' | 'pending' | 'paid' | 'releasing' | 'appeal' | 'completed' | 'cancelled' | 'expired';

/** Order statuses for system lines (numeric and string forms, docs/venue-protocols.md). */
const STATUS_LINES = lookupTable<StatusLine>({
  '1': 'awaiting-payment',
  TRADING: 'awaiting-payment',
  PENDING: 'pending',
  '2': 'paid',
  BUYER_PAYED: 'paid',
  DISTRIBUTING: 'releasing',
  '3': 'appeal',
  IN_APPEAL: 'appeal',
  APPEALING: 'appeal',
  '4': 'completed',
  COMPLETED: 'completed',
  '6': 'cancelled',
  CANCELLED: 'cancelled',
  '7': 'expired',
  CANCELLED_BY_SYSTEM: 'expired',
});

/** The system line for an order status, one whole sentence each (built at call time, in the user's language). */
export function orderStatusLine(status: string): string {
  switch (STATUS_LINES[status]) {
    case 'awaiting-payment':
      return l10n.t('Order in progress, awaiting payment');
    case 'pending':
      return l10n.t('Order pending');
    case 'paid':
      return l10n.t('Order marked as paid');
    case 'releasing':
      return l10n.t('Order releasing the crypto');
    case 'appeal':
      return l10n.t('Order under appeal');
    case 'completed':
      return l10n.t('Order completed');
    case 'cancelled':
      return l10n.t('Order cancelled');
    case 'expired':
      return l10n.t('Order cancelled by the system (payment time ran out)');
    case undefined:
      return l10n.t({ message: 'Order status {0}', args: [status], comment: ["{0} is Binance's own status code."] });
  }
}

export interface MappingContext {
  readonly accountId: string;
  readonly orderNo: string;
  readonly now: number;
  /** Problems found (bad times, clamped text): reported as bad input, the message is kept. */
  readonly problems: string[];
}

export function toChatMessage(m: BinanceMessageFields, ctx: MappingContext): ChatMessage {
  const { accountId, orderNo, now, problems } = ctx;
  const parsed = parseVenueTime(m.createTime, now);
  const time = parsed.ok ? parsed.time : now;
  if (!parsed.ok) problems.push(`message ${m.id}: createTime ${parsed.reason}; shown at its arrival time`);
  else if (parsed.flagged) problems.push(`message ${m.id}: createTime ${parsed.flagged}`);
  const self = m.self === true;
  const base = {
    key: messageKey('binance', accountId, orderNo, m.id),
    venue: 'binance' as const,
    accountId,
    conversationId: orderNo,
    venueMessageId: m.id,
    time,
    ...(self && m.uuid ? { clientMessageId: m.uuid } : {}),
    ...(m.fromNickName ? { senderName: m.fromNickName } : {}),
  };
  const direction = self ? ('out' as const) : ('in' as const);
  const sent = self ? { status: 'confirmed' as const } : {};
  const content = text(m.content ?? '', m.id, problems);
  switch (m.type) {
    case 'text':
      return { ...base, direction, kind: 'text', text: content, ...sent };
    case 'auto_reply':
      // The counterparty's (or our) automatic reply: shown as text, marked as automatic.
      return { ...base, direction, kind: 'text', text: content ? l10n.t({ message: 'Automatic reply: {0}', args: [content], comment: ['{0} is the text of an automatic reply the venue sent.'] }) : l10n.t('Automatic reply'), ...sent };
    case 'image':
    case 'video': {
      const url = m.imageUrl || (m.type === 'video' && /^https?:\/\//i.test(content) ? content : '');
      const attachment: Attachment = {
        kind: m.type,
        ...(url ? { url } : {}),
        ...(m.thumbnailUrl ? { thumbUrl: m.thumbnailUrl } : {}),
        ...(typeof m.width === 'number' && m.width > 0 ? { width: m.width } : {}),
        ...(typeof m.height === 'number' && m.height > 0 ? { height: m.height } : {}),
        ...(m.imageType ? { mimeType: `${m.type}/${m.imageType}` } : {}),
      };
      if (!url) problems.push(`message ${m.id}: ${m.type} without a URL`);
      const caption = m.type === 'image' || content !== url ? content : '';
      return { ...base, direction, kind: m.type, attachments: [attachment], ...(caption ? { text: caption } : {}), ...sent };
    }
    case 'system':
      return { ...base, direction: 'system', kind: 'system', ...systemLine(content, orderNo) };
    case 'recall':
      return recallOf(base, direction, content);
    case 'card':
      return { ...base, direction, kind: 'text', text: cardText(content), ...sent };
    default:
      // translate, mark and types this client does not know: readable, never dropped.
      return { ...base, direction, kind: 'text', text: content ? `[${m.type.slice(0, 32)}] ${content}` : l10n.t({ message: '[{0} message]', args: [m.type.slice(0, 32)], comment: ['{0} is a message type the venue named and this client does not know.'] }), ...sent };
  }
}

function text(raw: string, id: string, problems: string[]): string {
  const clamped = clampText(raw);
  if (clamped.clamped) problems.push(`message ${id}: text clamped from ${raw.length} chars to ${clamped.text.length}`);
  return clamped.text;
}

/** System frames carry JSON in `content` (an order event); anything else is shown as it came. */
function systemLine(content: string, orderNo: string): { text: string; payload?: ChatMessage['payload'] } {
  const parsed = parseObject(content);
  const status = parsed ? firstString(parsed, ['orderStatus', 'status', 'type']) : undefined;
  if (!status) return { text: content || l10n.t({ message: 'Order update', comment: ['The text of a system message about the order that came without words.'] }) };
  return { text: orderStatusLine(status), payload: { type: 'system', event: 'order-status', orderId: orderNo, state: status } };
}

function recallOf(base: Omit<ChatMessage, 'direction' | 'kind'>, direction: ChatMessage['direction'], content: string): ChatMessage {
  const parsed = parseObject(content);
  const target = parsed ? firstString(parsed, ['id', 'messageId', 'targetId']) : /^\d+$/.test(content) ? content : undefined;
  if (target) return { ...base, direction, kind: 'recall', payload: { type: 'recall', targetVenueMessageId: target } };
  return { ...base, direction, kind: 'text', text: l10n.t('A message was withdrawn.') };
}

function cardText(content: string): string {
  const parsed = parseObject(content);
  if (!parsed) return content || l10n.t('[card]');
  const title = firstString(parsed, ['title', 'name']);
  const description = firstString(parsed, ['content', 'description', 'text']);
  return [title, description].filter(Boolean).join('\n') || l10n.t('[card]');
}

function parseObject(content: string): Record<string, unknown> | undefined {
  if (!content.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(content);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function firstString(o: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string' && v) return v.slice(0, 200);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}
