// One realtime event of a profile, before a transport shapes it: Socket.IO (events.gateway) and
// the documented plain WebSocket API (`type: "event"` envelopes) each render it their own way.
import { conversationJson, messageJson, type ConversationRow, type JsonObject, type MessageRow } from './store';

export type ProfileEvent =
  | { readonly kind: 'message'; readonly message: MessageRow; readonly conversation: JsonObject }
  | { readonly kind: 'ack'; readonly waMessageId: string; readonly status: string }
  | { readonly kind: 'update'; readonly message: MessageRow }
  | { readonly kind: 'status'; readonly status: string; readonly phone?: string; readonly reason?: string }
  | { readonly kind: 'qr'; readonly qrCode: string };

/** The conversation as it was before the message bumped it (the gateway emits that snapshot). */
export const conversationSnapshot = (c: ConversationRow): JsonObject => conversationJson(c);

/** Socket.IO event name and payload, as events.gateway emits them to `profile:<id>`. */
export function socketIoEvent(profileId: string, e: ProfileEvent): readonly [string, unknown] {
  switch (e.kind) {
    case 'message':
      return ['message', { type: 'message:received', message: messageJson(e.message), conversation: e.conversation }];
    case 'ack':
      return ['message:ack', { profileId, messageId: e.waMessageId, status: e.status }];
    case 'update':
      return ['message:update', messageJson(e.message)];
    case 'status': {
      const payload: JsonObject = { profileId, status: e.status };
      if (e.status === 'error' && e.reason !== undefined) payload.reason = e.reason;
      else if (e.phone !== undefined) {
        payload.phoneNumber = e.phone;
        payload.phone = e.phone;
      }
      return ['connection:status', payload];
    }
    case 'qr':
      return ['qr:update', { profileId, qrCode: e.qrCode }];
  }
}

const ACK_NUMBER: Readonly<Record<string, number>> = { sent: 1, delivered: 2, read: 3, played: 4 };

/** `[event name, data]` of the plain WebSocket API's envelope, or undefined when it has no such event. */
export function plainEvent(e: ProfileEvent): readonly [string, JsonObject] | undefined {
  switch (e.kind) {
    case 'message': {
      const m = e.message;
      const body = m.content.text ?? m.content.caption ?? '';
      return ['message.received', {
        id: m.messageId, from: m.senderJid.replace('@s.whatsapp.net', '@c.us'), body: typeof body === 'string' ? body : '',
        type: m.type === 'text' ? 'chat' : m.type, timestamp: new Date(m.timestamp).toISOString(), hasMedia: m.content.hasMedia === true || typeof m.content.url === 'string',
      }];
    }
    case 'ack':
      return ['message.ack', { messageId: e.waMessageId, status: e.status, ack: ACK_NUMBER[e.status] ?? 0 }];
    case 'status':
      return ['session.status', e.phone !== undefined ? { status: e.status, phone: e.phone } : { status: e.status }];
    case 'qr':
      return ['qr.updated', { qr: e.qrCode }];
    case 'update':
      return undefined;
  }
}

/** What the malformed-event fault sends instead: JSON cut off mid-way. */
export function garbled(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
