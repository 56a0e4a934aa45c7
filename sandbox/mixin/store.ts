// The Mixin emulator's data: conversations, every message (both directions), attachments, what
// the bot still has to acknowledge, what it acknowledged, and read receipts not yet pushed.
import { rfc3339Micro, stdBase64, urlBase64 } from './ids';

export type MessageStatus = 'SENT' | 'DELIVERED' | 'READ';

export interface StoredMessage {
  readonly conversationId: string;
  /** The sender. */
  readonly userId: string;
  readonly sessionId: string;
  readonly messageId: string;
  readonly category: string;
  readonly data: Buffer;
  status: MessageStatus;
  readonly quoteMessageId: string;
  readonly representativeId: string;
  readonly createdAt: number;
  updatedAt: number;
  /** How it arrived: the bot over Blaze or REST, or a simulated user. */
  readonly via: 'blaze' | 'rest' | 'user';
}

export interface Participant {
  readonly userId: string;
  readonly role: '' | 'OWNER' | 'ADMIN';
  readonly createdAt: number;
}

export interface Conversation {
  readonly conversationId: string;
  readonly category: 'CONTACT' | 'GROUP';
  readonly name: string;
  readonly creatorId: string;
  readonly participants: Participant[];
  readonly createdAt: number;
}

export interface Attachment {
  readonly attachmentId: string;
  readonly createdAt: number;
  body?: Buffer;
  contentType?: string;
  uploadedAt?: number;
}

export interface AckRecord {
  readonly messageId: string;
  readonly status: string;
  readonly time: number;
  readonly via: 'blaze' | 'blaze-batch' | 'rest';
}

export interface Receipt {
  readonly messageId: string;
  readonly conversationId: string;
  /** Who read it. */
  readonly userId: string;
  readonly sessionId: string;
  readonly status: 'DELIVERED' | 'READ';
  readonly createdAt: number;
  readonly time: number;
}

export type MessageSource = 'LIST_PENDING_MESSAGES' | '';

/** The MessageView the Blaze socket pushes (and REST would return), field for field. */
export function messageView(m: StoredMessage, source: MessageSource): Record<string, string> {
  return {
    type: 'message', conversation_id: m.conversationId, user_id: m.userId, session_id: m.sessionId, message_id: m.messageId,
    category: m.category, data: stdBase64(m.data), data_base64: urlBase64(m.data), status: m.status, source,
    quote_message_id: m.quoteMessageId, representative_id: m.representativeId, created_at: rfc3339Micro(m.createdAt), updated_at: rfc3339Micro(m.updatedAt),
  };
}

/** A receipt for one of the bot's messages: a MessageView with that message id, the new status and no content. */
export function receiptView(r: Receipt): Record<string, string> {
  return {
    type: 'message', conversation_id: r.conversationId, user_id: r.userId, session_id: r.sessionId, message_id: r.messageId, category: '', data: '',
    data_base64: '', status: r.status, source: 'ACKNOWLEDGE_MESSAGE_RECEIPT', quote_message_id: '', representative_id: '',
    created_at: rfc3339Micro(r.createdAt), updated_at: rfc3339Micro(r.time),
  };
}

export class MixinStore {
  readonly conversations = new Map<string, Conversation>();
  readonly messages = new Map<string, StoredMessage>();
  readonly attachments = new Map<string, Attachment>();
  /** Inbound message ids the bot has not acknowledged, in arrival order. */
  readonly unacked = new Set<string>();
  readonly acks: AckRecord[] = [];
  /** Receipts not yet pushed to a listening socket. */
  readonly receipts: Receipt[] = [];
  duplicates = 0;

  addMessage(m: StoredMessage, forBot: boolean): void {
    this.messages.set(m.messageId, m);
    if (forBot) this.unacked.add(m.messageId);
  }

  /** Inbound messages still owed to the bot (the 7-day retention counted from `now`). */
  pending(now: number, retentionMs: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const id of this.unacked) {
      const m = this.messages.get(id);
      if (!m || m.createdAt < now - retentionMs) {
        this.unacked.delete(id);
        continue;
      }
      out.push(m);
    }
    return out;
  }

  /** Marks an inbound message acknowledged; false when it was not owed (already acked or unknown). */
  acknowledge(messageId: string, status: string, time: number, via: AckRecord['via']): boolean {
    const owed = this.unacked.delete(messageId);
    this.acks.push({ messageId, status, time, via });
    return owed;
  }

  messagesOf(conversationId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.conversationId === conversationId).sort((a, b) => a.createdAt - b.createdAt);
  }
}
