// The host's messages repeat a few short strings in every message (venue, account, conversation,
// sender, kind, direction, status), and structured cloning gives each message its own copies. A
// pane holding a long chat keeps one copy of each instead: less memory, and far fewer objects for
// the garbage collector to walk on every major collection (which a 100,000-message chat otherwise
// pays for in dropped frames while scrolling).
import type { ChatMessage } from '../../shared/model';

/** Distinct strings kept at most; past that, new values are left as they are. */
const MAX_POOLED = 2000;
/** Only short values repeat; longer ones (texts, ids) are not worth a lookup. */
const MAX_POOLED_LENGTH = 128;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export class StringPool {
  private readonly strings = new Map<string, string>();

  /** How many distinct strings are pooled. */
  get size(): number {
    return this.strings.size;
  }

  intern(value: string): string {
    if (value.length > MAX_POOLED_LENGTH) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < MAX_POOLED) this.strings.set(value, value);
    return value;
  }

  /**
   * Points the repeated fields of `message` at the pooled copies. `message` must be the pane's own
   * fresh copy (from the validator), not yet seen by anything else: it is changed in place.
   */
  pool(message: ChatMessage): ChatMessage {
    const m = message as Writable<ChatMessage>;
    m.venue = this.intern(m.venue) as ChatMessage['venue'];
    m.accountId = this.intern(m.accountId);
    m.conversationId = this.intern(m.conversationId);
    m.direction = this.intern(m.direction) as ChatMessage['direction'];
    m.kind = this.intern(m.kind) as ChatMessage['kind'];
    if (m.senderName !== undefined) m.senderName = this.intern(m.senderName);
    if (m.status !== undefined) m.status = this.intern(m.status) as ChatMessage['status'];
    return m;
  }
}
