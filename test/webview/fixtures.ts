// Messages, conversations and snapshots for the webview tests.
import type { ChatMessage, ComposerCapabilities, ConnectionState, Conversation } from '../../src/shared/model';
import type { ConversationSnapshot } from '../../src/shared/protocol';

/** 2025-01-15 10:00:00 UTC (tests run the page in the UTC zone). */
export const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
export const MINUTE = 60_000;

export const CONVERSATION: Conversation = {
  venue: 'mexc',
  accountId: 'acc-1',
  conversationId: 'order-42',
  title: 'Order 42 · alice_p2p',
  subtitle: 'Buy 500 USDT',
  lastActivity: T0,
  unread: 0,
  active: true,
};

export const OTHER_CONVERSATION: Conversation = { ...CONVERSATION, conversationId: 'order-99', title: 'Order 99 · bob' };

export const MEXC_COMPOSER: ComposerCapabilities = { sendKinds: ['text', 'image', 'video', 'file'], mediaByUrl: true, canUpload: false, maxTextLength: 500 };
export const UPLOAD_COMPOSER: ComposerCapabilities = { sendKinds: ['text', 'image', 'video', 'file'], mediaByUrl: false, canUpload: true, maxTextLength: 4000 };

export const ONLINE: ConnectionState = { kind: 'online', since: T0 - 60 * MINUTE };

type MessageInit = Partial<ChatMessage> & { readonly id: string };

export function message(init: MessageInit, conversation: Conversation = CONVERSATION): ChatMessage {
  const { id, ...rest } = init;
  return {
    key: `${conversation.venue}:${conversation.accountId}:${conversation.conversationId}:${id}`,
    venue: conversation.venue,
    accountId: conversation.accountId,
    conversationId: conversation.conversationId,
    venueMessageId: id,
    direction: 'in',
    kind: 'text',
    text: `message ${id}`,
    senderName: 'alice_p2p',
    time: T0,
    ...rest,
  };
}

/** `count` incoming/outgoing text messages a minute apart, ending at `end`. */
export function conversationHistory(count: number, end = T0, prefix = 'h'): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < count; i++) {
    const n = count - 1 - i;
    out.push(
      message({
        id: `${prefix}${i}`,
        time: end - n * MINUTE,
        direction: i % 3 === 0 ? 'out' : 'in',
        status: i % 3 === 0 ? 'read' : undefined,
        clientMessageId: i % 3 === 0 ? `client${prefix}${i}xx` : undefined,
        text: `${prefix} message number ${i}`,
      }),
    );
  }
  return out;
}

export function snapshot(init: Partial<ConversationSnapshot> = {}): ConversationSnapshot {
  return {
    conversation: CONVERSATION,
    messages: [],
    connection: ONLINE,
    composer: MEXC_COMPOSER,
    // A venue with history, so "No messages yet." is the plain end of history (emptyChat.test.ts covers MEXC's).
    venue: { name: 'MEXC P2P', serverHistory: true },
    ...init,
  };
}
