// What MultiWA's two realtime APIs say, read into one shape (docs/venue-protocols.md, MultiWA:
// realtime). Socket.IO events (`message`, `message:ack`, `message:update`, `connection:status`,
// `qr:update`) carry message rows; the plain WebSocket API wraps events as `{type: "event",
// payload: {event, profileId, data}}`, and its `message.received` data is the WhatsApp engine's
// view (`id`, `from`, `body`, `type: "chat"`), not a row: it only says a chat has news, which the
// adapter reads back over REST. Everything is checked; what does not fit is reported, not thrown.
import * as z from 'zod';
import { conversationRowSchema, messageRowSchema, type MultiwaConversationRow, type MultiwaMessageRow } from './api';

export type RealtimeEvent =
  | { readonly kind: 'message'; readonly row: MultiwaMessageRow; readonly conversation?: MultiwaConversationRow }
  | { readonly kind: 'messageUpdate'; readonly row: MultiwaMessageRow }
  /** A chat has news the event does not carry as a row (plain WebSocket): read it back. */
  | { readonly kind: 'chatActivity'; readonly profileId?: string; readonly jid: string }
  /** `messageId` is the WhatsApp id (the server's message:ack) or a row id; match both. */
  | { readonly kind: 'ack'; readonly profileId?: string; readonly messageId: string; readonly status: string }
  | { readonly kind: 'status'; readonly profileId?: string; readonly status: string; readonly phone?: string; readonly reason?: string }
  | { readonly kind: 'qr'; readonly profileId?: string; readonly qr: string }
  /** Plain WebSocket control replies. */
  | { readonly kind: 'ack-frame'; readonly requestId?: string; readonly payload: unknown }
  | { readonly kind: 'pong'; readonly requestId?: string }
  | { readonly kind: 'error'; readonly requestId?: string; readonly message: string }
  | { readonly kind: 'ignored' };

export type Decoded = { readonly ok: true; readonly event: RealtimeEvent } | { readonly ok: false; readonly problem: string };

const loose = z.record(z.string(), z.unknown());
const ackSchema = z.object({ profileId: z.string().nullish(), messageId: z.string().min(1).nullish(), id: z.string().min(1).nullish(), status: z.union([z.string(), z.number()]) }).passthrough();
const statusSchema = z.object({ profileId: z.string().nullish(), status: z.string().min(1), phone: z.string().nullish(), phoneNumber: z.string().nullish(), reason: z.string().nullish() }).passthrough();
const qrSchema = z.object({ profileId: z.string().nullish(), qrCode: z.string().min(1).nullish(), qr: z.string().min(1).nullish() }).passthrough();

function bad(problem: string): Decoded {
  return { ok: false, problem };
}

function ok(event: RealtimeEvent): Decoded {
  return { ok: true, event };
}

function optional(value: string | null | undefined): string | undefined {
  return value ?? undefined;
}

function messageEvent(payload: unknown, where: string): Decoded {
  const body = loose.safeParse(payload);
  if (!body.success) return bad(`${where}: not an object`);
  const row = messageRowSchema.safeParse(body.data['message'] ?? body.data);
  if (!row.success) return bad(`${where}: the message row is unreadable: ${z.prettifyError(row.error).slice(0, 200)}`);
  const conversation = conversationRowSchema.safeParse(body.data['conversation']);
  return ok({ kind: 'message', row: row.data, ...(conversation.success ? { conversation: conversation.data } : {}) });
}

function ackEvent(payload: unknown, where: string): Decoded {
  const ack = ackSchema.safeParse(payload);
  const messageId = ack.success ? (ack.data.messageId ?? ack.data.id) : undefined;
  if (!ack.success || !messageId) return bad(`${where}: an ack without a message id or status`);
  return ok({ kind: 'ack', profileId: optional(ack.data.profileId), messageId, status: String(ack.data.status) });
}

function statusEvent(payload: unknown, where: string): Decoded {
  const s = statusSchema.safeParse(payload);
  if (!s.success) return bad(`${where}: a status without a status`);
  const phone = s.data.phone ?? s.data.phoneNumber;
  return ok({ kind: 'status', profileId: optional(s.data.profileId), status: s.data.status, ...(phone ? { phone } : {}), ...(s.data.reason ? { reason: s.data.reason } : {}) });
}

function qrEvent(payload: unknown, where: string): Decoded {
  const q = qrSchema.safeParse(payload);
  const qr = q.success ? (q.data.qrCode ?? q.data.qr) : undefined;
  if (!q.success || !qr) return bad(`${where}: a QR update without a code`);
  return ok({ kind: 'qr', profileId: optional(q.data.profileId), qr });
}

/** One Socket.IO event from namespace `/ws`. */
export function decodeSocketIoEvent(event: string, args: readonly unknown[]): Decoded {
  const payload = args[0];
  switch (event) {
    case 'message': {
      const body = loose.safeParse(payload);
      // The legacy RealtimeGateway answers on the same event name with {type: ack|pong|event|error}.
      if (body.success && typeof body.data['type'] === 'string' && body.data['type'] !== 'message:received') return decodePlainFrame(body.data);
      return messageEvent(payload, 'message');
    }
    case 'message:update': {
      const decoded = messageEvent(payload, 'message:update');
      return decoded.ok && decoded.event.kind === 'message' ? ok({ kind: 'messageUpdate', row: decoded.event.row }) : decoded;
    }
    case 'message:ack':
      return ackEvent(payload, 'message:ack');
    case 'connection:status':
      return statusEvent(payload, 'connection:status');
    case 'qr:update':
      return qrEvent(payload, 'qr:update');
    default:
      return ok({ kind: 'ignored' });
  }
}

const plainSchema = z.object({ type: z.string(), payload: z.unknown(), requestId: z.string().nullish() }).passthrough();
const plainEventSchema = z.object({ event: z.string(), profileId: z.string().nullish(), data: z.unknown() }).passthrough();
const engineMessageSchema = z.object({ from: z.string().min(1), fromMe: z.boolean().nullish(), to: z.string().nullish() }).passthrough();

/** One frame of the plain WebSocket API (already JSON-parsed). */
export function decodePlainFrame(frame: unknown): Decoded {
  const parsed = plainSchema.safeParse(frame);
  if (!parsed.success) return bad('a frame without a type');
  const { type, payload } = parsed.data;
  const requestId = optional(parsed.data.requestId);
  switch (type) {
    case 'ack':
      return ok({ kind: 'ack-frame', ...(requestId ? { requestId } : {}), payload });
    case 'pong':
      return ok({ kind: 'pong', ...(requestId ? { requestId } : {}) });
    case 'error': {
      const p = loose.safeParse(payload);
      const message = p.success ? (typeof p.data['message'] === 'string' ? p.data['message'] : typeof p.data['error'] === 'string' ? p.data['error'] : 'error') : String(payload);
      return ok({ kind: 'error', ...(requestId ? { requestId } : {}), message });
    }
    case 'event':
      break;
    default:
      return ok({ kind: 'ignored' });
  }
  const ev = plainEventSchema.safeParse(payload);
  if (!ev.success) return bad('an event frame without an event name');
  const { event, data } = ev.data;
  const profileId = optional(ev.data.profileId);
  const withProfile = (d: unknown): unknown => (typeof d === 'object' && d !== null && profileId ? { profileId, ...d } : d);
  switch (event) {
    case 'message.received': {
      // A row where the server sends one; else the engine's message: the chat is re-read.
      const row = messageRowSchema.safeParse(data);
      if (row.success && row.data.direction) return ok({ kind: 'message', row: row.data });
      const engine = engineMessageSchema.safeParse(data);
      if (!engine.success) return bad('message.received: neither a message row nor a WhatsApp message');
      const jid = engine.data.fromMe && engine.data.to ? engine.data.to : engine.data.from;
      return ok({ kind: 'chatActivity', ...(profileId ? { profileId } : {}), jid });
    }
    case 'message.ack':
      return ackEvent(withProfile(data), 'message.ack');
    case 'session.status':
      return statusEvent(withProfile(data), 'session.status');
    case 'qr.updated':
      return qrEvent(withProfile(data), 'qr.updated');
    default:
      return ok({ kind: 'ignored' });
  }
}

/** WhatsApp ids of one chat come as `…@c.us` from the engine and `…@s.whatsapp.net` in rows. */
export function sameChat(a: string, b: string): boolean {
  const norm = (jid: string) => jid.trim().toLowerCase().replace(/@c\.us$/, '@s.whatsapp.net');
  return norm(a) === norm(b);
}
