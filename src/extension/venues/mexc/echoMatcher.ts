// MEXC's send reply carries no message id, so our own sends are tied to their echoes by content:
// a send registers what its echo will look like before the frame leaves (the echo can overtake
// the reply); a `self: true` message that matches one takes its client id. A self message no send
// waits for (its send timed out, or it came from another device) is remembered for a while, so the
// outbox's landed check can claim it before it ever resends.

/** What identifies one of our sends on the wire. */
export interface SentFingerprint {
  readonly clientMessageId: string;
  readonly type: number;
  readonly content: string;
  readonly url: string;
  readonly sentAt: number;
}

/** A self message as it arrived. */
export interface SelfMessage {
  readonly id: string;
  readonly type: number;
  readonly content: string;
  readonly url: string;
  readonly time: number;
}

interface SeenSelf extends SelfMessage {
  claimedBy?: string;
}

interface ConversationEchoes {
  readonly awaiting: SentFingerprint[];
  readonly seen: SeenSelf[];
}

/** Self messages remembered per conversation for landed checks. */
const SEEN_LIMIT = 200;
/** A remembered self message proves a send only if it is no older than this before the compose time. */
const LANDED_WINDOW_MS = 120_000;

export class EchoMatcher {
  private readonly conversations = new Map<string, ConversationEchoes>();

  /** Registers the echo a send expects; call before the frame leaves. */
  expect(conversationId: string, sent: SentFingerprint): void {
    this.of(conversationId).awaiting.push(sent);
  }

  /** The send is known not to land (not sent, or refused): its echo is no longer awaited. */
  forget(conversationId: string, clientMessageId: string): void {
    const awaiting = this.conversations.get(conversationId)?.awaiting;
    if (!awaiting) return;
    const i = awaiting.findIndex((e) => e.clientMessageId === clientMessageId);
    if (i >= 0) awaiting.splice(i, 1);
  }

  /** A `self: true` message arrived: the client id of the send it echoes, or undefined (then remembered). */
  onSelfMessage(conversationId: string, m: SelfMessage): string | undefined {
    const entry = this.of(conversationId);
    const i = entry.awaiting.findIndex((e) => e.type === m.type && e.content === m.content && e.url === m.url);
    if (i >= 0) return entry.awaiting.splice(i, 1)[0]?.clientMessageId;
    entry.seen.push({ ...m });
    if (entry.seen.length > SEEN_LIMIT) entry.seen.shift();
    return undefined;
  }

  /** Landed check: an unclaimed self message matching this send, claimed for it so no other send takes it. */
  claimLanded(conversationId: string, sent: SentFingerprint): SelfMessage | undefined {
    const entry = this.conversations.get(conversationId);
    if (!entry) return undefined;
    const seen = entry.seen.find((s) => !s.claimedBy && s.type === sent.type && s.content === sent.content && s.url === sent.url && s.time >= sent.sentAt - LANDED_WINDOW_MS);
    if (!seen) return undefined;
    seen.claimedBy = sent.clientMessageId;
    this.forget(conversationId, sent.clientMessageId);
    return seen;
  }

  /** The conversation's socket closed: what it would have proved can no longer arrive on it. */
  forgetConversation(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  private of(conversationId: string): ConversationEchoes {
    let entry = this.conversations.get(conversationId);
    if (!entry) {
      entry = { awaiting: [], seen: [] };
      this.conversations.set(conversationId, entry);
    }
    return entry;
  }
}
