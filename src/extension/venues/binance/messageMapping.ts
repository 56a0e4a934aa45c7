// Binance chat messages (pushed frames and history items, one family) -> the normalised model
// (docs/venue-protocols.md, Binance: message types). Keys are (orderNo, id); our own sends carry
// our client id as `uuid`, which becomes the message's clientMessageId so the echo merges into the
// pending record.
import type { Attachment, ChatMessage } from '../../../shared/model';
import { messageKey } from '../../../shared/model';
import { clampText } from '../../../shared/messageLimits';
import { parseVenueTime } from '../../core/venueTime';
import { lookupTable } from '../lookupTable';

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

/** Order status words for system lines (numeric and string forms, docs/venue-protocols.md). */
const STATUS_WORDS = lookupTable<string>({
  '1': 'in progress, awaiting payment',
  TRADING: 'in progress, awaiting payment',
  PENDING: 'pending',
  '2': 'marked as paid',
  BUYER_PAYED: 'marked as paid',
  DISTRIBUTING: 'releasing the crypto',
  '3': 'under appeal',
  IN_APPEAL: 'under appeal',
  APPEALING: 'under appeal',
  '4': 'completed',
  COMPLETED: 'completed',
  '6': 'cancelled',
  CANCELLED: 'cancelled',
  '7': 'cancelled by the system (payment time ran out)',
  CANCELLED_BY_SYSTEM: 'cancelled by the system (payment time ran out)',
});

export function orderStatusWords(status: string): string {
  return STATUS_WORDS[status] ?? `status ${status}`;
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
      return { ...base, direction, kind: 'text', text: content ? `Automatic reply: ${content}` : 'Automatic reply', ...sent };
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
      return { ...base, direction, kind: 'text', text: content ? `[${m.type.slice(0, 32)}] ${content}` : `[${m.type.slice(0, 32)} message]`, ...sent };
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
  if (!status) return { text: content || 'Order update' };
  const words = orderStatusWords(status);
  return { text: `Order ${words}`, payload: { type: 'system', event: 'order-status', orderId: orderNo, state: status } };
}

function recallOf(base: Omit<ChatMessage, 'direction' | 'kind'>, direction: ChatMessage['direction'], content: string): ChatMessage {
  const parsed = parseObject(content);
  const target = parsed ? firstString(parsed, ['id', 'messageId', 'targetId']) : /^\d+$/.test(content) ? content : undefined;
  if (target) return { ...base, direction, kind: 'recall', payload: { type: 'recall', targetVenueMessageId: target } };
  return { ...base, direction, kind: 'text', text: 'A message was withdrawn.' };
}

function cardText(content: string): string {
  const parsed = parseObject(content);
  if (!parsed) return content || '[card]';
  const title = firstString(parsed, ['title', 'name']);
  const description = firstString(parsed, ['content', 'description', 'text']);
  return [title, description].filter(Boolean).join('\n') || '[card]';
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
