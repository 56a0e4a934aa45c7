// The venue adapter contract (docs/architecture.md, The venue contract). One interface, five
// implementations. Adapters are plain TypeScript: no 'vscode', all I/O through injected clocks and
// loggers.
//
// What the spine does for every adapter, so adapters don't:
// - the hub stores every message batch durably (one fdatasync per batch) before views see it and
//   only then calls `stored()` (Mixin acknowledges receipts there, never earlier);
// - the hub backfills server history (`history()`) after every (re)connect and when a pane opens,
//   and pages through it when the user scrolls past what the store holds;
// - the outbox owns retries, the upload stage and the landed check before any resend.

import type { Attachment, AttachmentKind, ChatMessage, ConnectionState, Conversation, MessageKind, MessagePayload, QuotedMessage, VenueId } from '../../shared/model';
import { instanceOfBrand, markBrands } from '../core/errorBrand';
import type { Disposable, Event } from '../core/event';

export interface UploadCapability {
  /** Attachment kinds the venue's upload API takes. */
  readonly kinds: readonly AttachmentKind[];
  /** Largest file the venue takes, in bytes. */
  readonly maxBytes: number;
  /** File name extensions the venue accepts (lower case, no dot); absent = any. */
  readonly extensions?: readonly string[];
}

export interface Capabilities {
  /** How inbound messages arrive. */
  readonly receive: 'push' | 'poll';
  /** The venue can page back through server-side history (else the store is the only history). */
  readonly serverHistory: boolean;
  /** The venue keeps its own unread counts (reported on `conversation` events); they win over local counting. */
  readonly serverUnread: boolean;
  /** Kinds the adapter can send. */
  readonly sendKinds: readonly MessageKind[];
  /** Media is sent as a URL in the message (MEXC) rather than through a venue upload. */
  readonly mediaByUrl: boolean;
  /** The venue's own upload API; absent when it has none (then only links, see `mediaByUrl`). */
  readonly upload?: UploadCapability;
  /** A resend with the same client id is de-duplicated by the venue. */
  readonly idempotentSend: boolean;
  /** Marking read reaches the counterparty (read receipts), not just this client. */
  readonly readReceipts: boolean;
  readonly maxTextLength: number;
  /** Largest history page the venue serves. */
  readonly historyPageLimit?: number;
  /** The venue sends quoted replies (`OutboundMessage.quote`); absent = no Reply action in the pane. */
  readonly replies?: boolean;
  /**
   * What a contact card names (when `sendKinds` has `contact`): a phone number with a name (a vCard,
   * WhatsApp; the default) or a user of the venue by id (Mixin shares its own users only).
   */
  readonly contactBy?: 'phone' | 'venueUser';
  /** With `sendBatch`: most messages in one call. */
  readonly maxBatch?: number;
  /**
   * `send()` may wait for a connection before the message can leave (MEXC opens a chat's socket on
   * demand), and calls `SendHooks.beforeWire` once it is about to write. The outbox then counts the
   * message in flight only from that call, so a quit while the send still waits for its connection
   * leaves it plainly queued, not "maybe sent" (which, without idempotent sends or history, would
   * have to be failed and left to the user).
   */
  readonly announcesWire?: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque cursor for the next page (older, for history); absent at the end. */
  readonly next?: string;
}

export interface HistoryRequest {
  /** Cursor from a previous page's `next`; absent for the newest page (or the page before `olderThan`). */
  readonly before?: string;
  /**
   * Without `before`: start with messages older than this one (the oldest the store holds), where
   * the venue can page from a message id. An adapter that cannot may ignore it: the hub skips
   * pages that are not older.
   */
  readonly olderThan?: { readonly venueMessageId?: string; readonly time: number };
  readonly limit: number;
}

/** A file on disk to upload through the venue's API. */
export interface UploadSource {
  readonly path: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly kind: AttachmentKind;
}

/** Upload progress: bytes sent so far out of `total`. */
export type UploadProgress = (sent: number, total: number) => void;

/** What the outbox hands an adapter to send. */
export interface OutboundMessage {
  readonly clientMessageId: string;
  readonly conversationId: string;
  readonly kind: MessageKind;
  readonly text: string;
  /** Media as a link or as an uploaded reference (`Attachment.ref`) from `upload()`. */
  readonly attachment?: Attachment;
  /** Structured content (location, contact, quoted reply, ...). */
  readonly payload?: MessagePayload;
  /** The message this one replies to (resolved by the host from the store, never from the webview's text). */
  readonly quote?: QuotedMessage;
  /** Sends already tried for this message (0 on the first try). */
  readonly attempt: number;
  /** UTC ms the user composed it (used for read-back matching). */
  readonly composedAt: number;
}

/** What the outbox hears from a send in progress (adapters with `capabilities.announcesWire`). */
export interface SendHooks {
  /** Resolves once the outbox has durably noted that the message may now reach the venue. */
  beforeWire(): Promise<void>;
}

export interface SendReceipt {
  /** `sent`: the venue accepted the request; `confirmed`: venue evidence (echo, ack, read-back) ties it to our message. */
  readonly status: 'sent' | 'confirmed';
  readonly venueMessageId?: string;
  readonly time?: number;
}

/**
 * Before a resend after an unknown outcome, the outbox asks the adapter whether the message
 * already landed. `unknown` means the venue cannot tell (no history API); the outbox then
 * relies on the adapter's own evidence window.
 */
export type LandedCheck = { readonly landed: true; readonly venueMessageId?: string; readonly time?: number } | { readonly landed: false } | { readonly landed: 'unknown' };

/** Which of our messages a status event is about: our client id, the venue's id, or both. */
export interface MessageRef {
  readonly conversationId: string;
  readonly clientMessageId?: string;
  readonly venueMessageId?: string;
}

/** How far the user has read: a time (UTC ms, inclusive) and/or the venue ids of the messages seen. */
export interface ReadMark {
  readonly time?: number;
  readonly venueMessageIds?: readonly string[];
}

/** Where a batch of messages came from; backfilled and redelivered messages never raise unread counts. */
export type MessageSource = 'live' | 'backfill' | 'redelivery';

export type VenueEvent =
  /** Messages as the venue delivered them, in one batch (stored with one fdatasync). */
  | { readonly type: 'messages'; readonly messages: readonly ChatMessage[]; readonly source: MessageSource }
  /**
   * A later word on one of our messages, by client id and/or venue id. `failed` (with `failure`)
   * reopens a message the venue had accepted, for Retry.
   */
  | {
      readonly type: 'messageStatus';
      readonly ref: MessageRef;
      readonly status: 'sent' | 'confirmed' | 'delivered' | 'read' | 'failed';
      readonly failure?: string;
      readonly venueMessageId?: string;
      readonly time?: number;
    }
  /** A conversation appeared or changed; `unread` counts only when `capabilities.serverUnread`. */
  | { readonly type: 'conversation'; readonly conversation: Conversation }
  | { readonly type: 'connectionState'; readonly state: ConnectionState }
  /**
   * The live feed of these conversations (every conversation when absent) may have missed messages
   * (a socket reopened, a poll resumed): the hub backfills from server history where there is one.
   */
  | { readonly type: 'resync'; readonly conversationIds?: readonly string[] }
  /**
   * Whether the client can receive this conversation right now: `problem` says why not (its own
   * connection is failing, the venue's connection cap is reached); absent when it can again.
   * Trouble of the whole account is the `connectionState`; this is one conversation's.
   */
  | { readonly type: 'watch'; readonly conversationId: string; readonly problem?: string }
  /**
   * Messages from `from` to `to` may be missing. Without `readable` the connection was down and the
   * venue cannot backfill it; with it, the venue's history holds them (the adapter's own read-back
   * did not get that far): the hub marks the hole and reads it back, after a restart too.
   */
  | { readonly type: 'gap'; readonly conversationId: string; readonly from: number; readonly to: number; readonly readable?: boolean }
  /**
   * The venue-side session must be paired by the user (WhatsApp: scan `qrDataUrl`, a
   * `data:image/png;base64,` URL, with the phone). Each new code replaces the last; `paired`
   * ends it. Comes with a `pairing` connection state while needed.
   */
  | { readonly type: 'pairing'; readonly state: 'needed'; readonly qrDataUrl?: string; readonly detail?: string }
  | { readonly type: 'pairing'; readonly state: 'paired' }
  /** A frame or response the adapter could not use (logged and counted, never fatal). */
  | { readonly type: 'badInput'; readonly where: string; readonly detail: string };

export interface VenueAdapter extends Disposable {
  readonly venue: VenueId;
  readonly accountId: string;
  readonly capabilities: Capabilities;
  readonly events: Event<VenueEvent>;
  /** Verifies credentials with a signed call; throws a VenueError with the venue's message when they fail. */
  verify(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Forces a fresh connection now (user action), clearing any back-off, auth-error or displaced state. */
  reconnect(): Promise<void>;
  /** The hub's word that these messages are durably stored (Mixin acknowledges them only now). */
  stored(messages: readonly ChatMessage[]): void;
  listConversations(cursor?: string): Promise<Page<Conversation>>;
  /** Server history, newest page first; items in any order. Venues without history return no items. */
  history(conversationId: string, request: HistoryRequest): Promise<Page<ChatMessage>>;
  /** Keep a live connection to this conversation while it is open in a pane (MEXC: one socket per chat). */
  watch(conversationId: string): Disposable;
  /** Uploads a file through the venue's API (only when `capabilities.upload`); returns the reference to send. */
  upload(file: UploadSource, progress: UploadProgress, signal: AbortSignal): Promise<Attachment>;
  /** `hooks.beforeWire`: see `Capabilities.announcesWire`; awaited before the message can leave. */
  send(message: OutboundMessage, hooks?: SendHooks): Promise<SendReceipt>;
  checkLanded(message: OutboundMessage): Promise<LandedCheck>;
  /** Called whenever the user has seen the conversation up to `upTo` (also when the local count is already 0). */
  markRead(conversationId: string, upTo: ReadMark): Promise<void>;
  /**
   * Venues where the account can write first (Mixin bots): opens the conversation with a user,
   * creating it on the venue if needed, and reports it as a `conversation` event too.
   */
  startConversation?(userId: string): Promise<Conversation>;
  /**
   * Venues whose media links expire (Mixin's pre-signed view links last an hour): a fresh http(s)
   * link to the bytes of `attachment` (one of `message.attachments`, as stored), asked right before
   * a download. Absent: the stored `url` is used as it is. Throws a VenueError when the venue no
   * longer has the file (`rejected`) or cannot be asked now (`unavailable`).
   */
  attachmentUrl?(message: ChatMessage, attachment: Attachment): Promise<string>;
  /**
   * Venues with a batch send (Mixin `CREATE_PLAIN_MESSAGES`): fresh messages of one conversation,
   * in compose order, at most `capabilities.maxBatch`; one receipt per message, in the same order.
   * A throw means none is known to be sent (the outbox handles the error for each, as for `send`).
   */
  sendBatch?(messages: readonly OutboundMessage[]): Promise<readonly SendReceipt[]>;
  /** Venues that send stickers: the stickers this account has seen lately (received or sent), newest first, to pick from. */
  recentStickers?(): readonly StickerChoice[];
}

/** A sticker as the venue names it (by id, or by name within an album), with its picture where known. */
export interface StickerChoice {
  readonly stickerId?: string;
  readonly name?: string;
  readonly albumId?: string;
  readonly url?: string;
}

export type VenueErrorKind =
  /** Credentials rejected: stop retrying, show the user. */
  | 'auth'
  /** 429 or similar: retry after `retryAfterMs`. */
  | 'rate-limit'
  /** Definitely not sent (no connection, refused before the request left): safe to retry. */
  | 'unavailable'
  /** The venue refused this request on its merits: do not retry. */
  | 'rejected'
  /** The request may or may not have reached the venue (timeout, dropped mid-flight, 5xx, garbled reply). */
  | 'unknown-outcome';

/**
 * An error from a venue, with a kind the outbox and the connection machinery act on. Made in a
 * venue's bundle and checked in the core's: `instanceof` compares brands, not prototypes
 * (core/errorBrand.ts); a subclass declares its own `brand`.
 */
export class VenueError extends Error {
  static readonly brand: string = 'VenueError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return instanceOfBrand(this, value);
  }

  constructor(
    readonly kind: VenueErrorKind,
    message: string,
    readonly venueCode?: string | number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'VenueError';
    markBrands(this, new.target);
  }

  /** True when the request may have reached the venue (a resend needs a landed check first). */
  get outcomeUnknown(): boolean {
    return this.kind === 'unknown-outcome';
  }
}

export function isVenueError(err: unknown): err is VenueError {
  return err instanceof VenueError;
}
