// Normalised chat model shared by the host, the adapters and the webview (docs/architecture.md,
// Messages). Plain types only: no runtime code, no imports of 'vscode'.

export const VENUE_IDS = ['mexc', 'bybit', 'binance', 'multiwa', 'mixin'] as const;
export type VenueId = (typeof VENUE_IDS)[number];

export type MessageDirection = 'in' | 'out' | 'system';

export type MessageKind =
  | 'text'
  | 'markdown'
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'sticker'
  | 'contact'
  | 'location'
  | 'card'
  | 'buttons'
  | 'live'
  /** A reaction (an emoji) to another message; an empty emoji withdraws it. */
  | 'reaction'
  | 'poll'
  | 'system'
  /** The counterparty withdrew a message (the target, when known, is marked `recalled`). */
  | 'recall'
  /** Time during which the connection was down and the venue has no history to fill it. */
  | 'gap';

/** Lifecycle of an outgoing message. `failed` carries a reason in `ChatMessage.failure`. */
export type OutgoingStatus = 'queued' | 'sending' | 'sent' | 'confirmed' | 'delivered' | 'read' | 'failed';

export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

export interface Attachment {
  readonly kind: AttachmentKind;
  readonly url?: string;
  readonly thumbUrl?: string;
  readonly name?: string;
  readonly mimeType?: string;
  readonly size?: number;
  readonly width?: number;
  readonly height?: number;
  readonly durationMs?: number;
  /** The venue's own reference (Mixin attachment_id, Bybit's relative object URL, MultiWA key). */
  readonly ref?: string;
  /** UTC ms after which `url` stops working (venues whose media links expire). */
  readonly expiresAt?: number;
  /** Audio waveform (0..255 samples), where the venue sends one. */
  readonly waveform?: readonly number[];
  /** Audio recorded as a voice note (WhatsApp PTT), not an audio file. */
  readonly voiceNote?: boolean;
}

/** A button in a `buttons` or `card` message: opens `action` (http(s) only) through the host after the user confirms. */
export interface MessageButton {
  readonly label: string;
  readonly action: string;
  /** `#RRGGBB`, where the venue gives one. */
  readonly color?: string;
}

export interface ContactCard {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
  /** The venue's user id (Mixin). */
  readonly userId?: string;
}

/** Structured content of the kinds that are more than text plus attachments (`payload.type` equals the message's kind). */
export type MessagePayload =
  | { readonly type: 'contact'; readonly contacts: readonly ContactCard[] }
  | { readonly type: 'location'; readonly latitude: number; readonly longitude: number; readonly name?: string; readonly address?: string }
  /** A sticker is named by its id, or (Mixin's other documented form) by its name within an album. */
  | { readonly type: 'sticker'; readonly stickerId?: string; readonly name?: string; readonly albumId?: string; readonly url?: string }
  | { readonly type: 'card'; readonly title: string; readonly description?: string; readonly coverUrl?: string; readonly iconUrl?: string; readonly appId?: string; readonly actions: readonly MessageButton[] }
  | { readonly type: 'buttons'; readonly buttons: readonly MessageButton[] }
  | { readonly type: 'live'; readonly url: string; readonly thumbUrl?: string; readonly width?: number; readonly height?: number }
  | { readonly type: 'recall'; readonly targetVenueMessageId: string }
  /** `emoji` '' withdraws the sender's reaction to the target. */
  | { readonly type: 'reaction'; readonly emoji: string; readonly targetVenueMessageId?: string }
  | { readonly type: 'poll'; readonly question: string; readonly options: readonly string[]; readonly allowMultipleAnswers?: boolean }
  /** An order moved (paid, released, cancelled, appeal...): shown as a system line. */
  | { readonly type: 'system'; readonly event: string; readonly orderId?: string; readonly state?: string };

/** The message a reply quotes, as far as the venue tells. */
export interface QuotedMessage {
  readonly venueMessageId?: string;
  /** The quoted message's sender as the venue names them (never set for our own messages). */
  readonly senderName?: string;
  /**
   * The quoted message is ours. The pane says "your message" from this flag, not from a name, so
   * a counterparty who calls themselves "You" cannot pass their message off as ours.
   */
  readonly fromUs?: boolean;
  /** A short excerpt of the quoted text. */
  readonly text?: string;
}

export interface ChatMessage {
  /** Stable identity: venue, account, conversation and the venue id (or `c:<clientId>` before the venue assigns one). */
  readonly key: string;
  readonly venue: VenueId;
  readonly accountId: string;
  readonly conversationId: string;
  readonly venueMessageId?: string;
  /** Our id for our own sends, from compose time on. */
  readonly clientMessageId?: string;
  readonly direction: MessageDirection;
  readonly kind: MessageKind;
  readonly text?: string;
  readonly attachments?: readonly Attachment[];
  readonly payload?: MessagePayload;
  /** The message this one replies to. */
  readonly quote?: QuotedMessage;
  /** The sender withdrew this message; it shows as recalled. */
  readonly recalled?: boolean;
  /** The venue says this replaces the content of the message with the same venue id (an edit). */
  readonly edited?: boolean;
  /**
   * Key of a stored message whose venue id this one repeats with different content: the store
   * keeps both rather than guess which is right (set by the store, never by an adapter).
   */
  readonly conflictOf?: string;
  readonly senderName?: string;
  /** UTC milliseconds. */
  readonly time: number;
  /** The venue's own timestamp text, kept when it is ambiguous (MEXC sends a zone-less string). */
  readonly rawTime?: string;
  readonly status?: OutgoingStatus;
  /** `failed`: why it was not sent. `queued`: why it is waiting to be retried (a rate limit, an outage). */
  readonly failure?: string;
  /**
   * For kind `gap`: the stretch the timeline may be missing. `filled`: read back since from the
   * venue's history (a venue with history whose backfill took more than one go).
   */
  readonly gap?: { readonly from: number; readonly to: number; readonly filled?: boolean };
}

/** Who moves the crypto, from the user's (the account owner's) point of view. */
export type OrderSide = 'buy' | 'sell';

/**
 * An order's state, the same words for every venue (the venue's own state is kept beside it).
 * `in-progress`: a live state none of the others names (Bybit's "paying", Binance's
 * "DISTRIBUTING"); `unknown`: a state the adapter does not know.
 */
export type OrderState = 'awaiting-payment' | 'paid' | 'appeal' | 'in-progress' | 'completed' | 'cancelled' | 'expired' | 'unknown';

/**
 * The P2P order behind a conversation, as a trader needs it at a glance. Amounts are decimal
 * strings exactly as the venue sent them (never floats: 0.1 + 0.2 must not reach a trader).
 */
export interface OrderContext {
  /** The venue's order number. */
  readonly orderNo: string;
  /** The user's side of the trade (not the advertiser's, not the counterparty's). */
  readonly side?: OrderSide;
  /** Crypto asset (`USDT`) and quantity (`375.99`). */
  readonly asset?: string;
  readonly quantity?: string;
  /** Fiat currency (`EUR`) and amount (`349.68`). */
  readonly fiat?: string;
  readonly fiatAmount?: string;
  /** Unit price: fiat per one unit of the asset. */
  readonly price?: string;
  readonly state: OrderState;
  /** The venue's own state (`NOT_PAID`, `20`, `BUYER_PAYED`). */
  readonly venueState: string;
  /** UTC ms by which the buyer must pay, when the venue says. */
  readonly payBy?: number;
}

export interface Conversation {
  readonly venue: VenueId;
  readonly accountId: string;
  readonly conversationId: string;
  readonly title: string;
  /** Order number or other secondary label. */
  readonly subtitle?: string;
  /** UTC ms of the newest message or order event. */
  readonly lastActivity: number;
  readonly unread: number;
  /** The order behind the chat is still in progress (its socket stays open). */
  readonly active: boolean;
  readonly preview?: string;
  /** UTC ms up to which the user has read this conversation (venue time). */
  readonly readUpTo?: number;
  /** Last activity when this client first learnt of the conversation: history older than that is not news. */
  readonly discoveredAt?: number;
  /**
   * A stretch from this time is being read back from the venue's history (the hole is marked in
   * the timeline). Kept with the list so the next start reads it back whether or not the chat is active.
   */
  readonly historyHoleFrom?: number;
  /** The P2P order behind the chat, where there is one. */
  readonly order?: OrderContext;
}

export type ConnectionState =
  | { readonly kind: 'offline' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'online'; readonly since: number }
  | { readonly kind: 'backoff'; readonly until: number; readonly reason: string }
  | { readonly kind: 'auth-error'; readonly reason: string }
  | { readonly kind: 'stale'; readonly lastSync: number; readonly reason: string }
  | { readonly kind: 'displaced'; readonly reason: string }
  /**
   * The venue-side session needs the user before anything flows (a WhatsApp profile on a gateway
   * waiting for its QR code to be scanned). The code itself comes as a `pairing` venue event.
   */
  | { readonly kind: 'pairing'; readonly reason: string };

export type ConnectionStateKind = ConnectionState['kind'];

/** What a composer can offer for a venue (derived from the adapter's capabilities). */
export interface ComposerCapabilities {
  /** Kinds the user can send. */
  readonly sendKinds: readonly MessageKind[];
  /** Media goes out as a URL the user gives (MEXC) rather than an uploaded file. */
  readonly mediaByUrl: boolean;
  /** A host-side upload path exists (venue upload or a user-configured upload target). */
  readonly canUpload: boolean;
  /** Files go through the venue's own upload API (`attachment/upload`) rather than a link (`attachment/pick`). */
  readonly venueUpload?: boolean;
  readonly maxTextLength: number;
  /** Messages can be answered with a quoted reply (a Reply action on each message the venue knows). */
  readonly replies?: boolean;
}

export function messageKey(venue: VenueId, accountId: string, conversationId: string, id: string): string {
  return `${venue}:${accountId}:${conversationId}:${id}`;
}

export function pendingKey(venue: VenueId, accountId: string, conversationId: string, clientMessageId: string): string {
  return messageKey(venue, accountId, conversationId, `c:${clientMessageId}`);
}
