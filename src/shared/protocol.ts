// Host <-> webview protocol (docs/architecture.md, Host ⇄ webview protocol).
//
// Envelope: requests `{id, method, params}` from the webview, answered by the host with
// `{id, ok: true, result}` or `{id, ok: false, error}`; notifications `{method, params}` from the host.
// The host validates everything the webview posts with the schemas below (the webview renders
// counterparty content and must be treated as a potentially confused peer). The webview imports
// this module with `import type` only, so zod stays out of its bundle; the host builds the schemas
// (and loads zod) when the first request arrives, not at activation.

import type * as Z from 'zod';
import { lazy, zod } from './lazyZod';
import { MAX_ATTACHMENTS } from './messageLimits';
import type { ChatMessage, ComposerCapabilities, ConnectionState, Conversation } from './model';

// ---- webview -> host requests -------------------------------------------------------------

/** Highest attachment index a download may name. */
const MAX_ATTACHMENT_INDEX = MAX_ATTACHMENTS - 1;

/** `markdown` is a post (Mixin PLAIN_POST): the same text, rendered as markdown with raw HTML off. */
export const SEND_KINDS = ['text', 'markdown', 'image', 'video', 'file'] as const;
/** Kinds the host composes from its own prompts (`compose/structured`), never from webview text. */
export const STRUCTURED_KINDS = ['location', 'contact', 'sticker'] as const;

/** The schema of each request's params, by method; built on the first request. */
export const requestSchemas = lazy(() => {
  const z = zod();
  const clientMessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'client message id must be 8-64 url-safe characters');
  const httpUrl = z
    .string()
    .max(2048)
    .refine((u) => /^https?:\/\//i.test(u), 'only http(s) URLs are accepted');

  // Keys are printable (venue, account, conversation and message ids joined by ':').
  const messageKey = z.string().min(1).max(1024).regex(/^[\x20-\x7e\u00a0-\uffff]+$/, 'message key has control characters');
  /**
   * The message a send answers, by its key only: the host builds the quote from its own store, so
   * the pane cannot make a reply quote words nobody wrote.
   */
  const replyTo = z.object({ key: messageKey }).strict().optional();

  return {
    'webview/ready': z.object({}).strict(),
    'history/page': z
      .object({
        /** Opaque cursor from a previous page; absent for the newest page. */
        before: z.string().max(2048).optional(),
        limit: z.number().int().min(1).max(200),
      })
      .strict(),
    'message/send': z
      .object({
        clientMessageId,
        kind: z.enum(SEND_KINDS),
        text: z.string().max(20000).default(''),
        url: httpUrl.optional(),
        fileName: z.string().max(255).optional(),
        replyTo,
      })
      .strict()
      .refine((p) => (p.kind === 'text' || p.kind === 'markdown' ? p.text.trim().length > 0 : p.url !== undefined), {
        message: 'text messages and posts need text; media messages need a URL',
      }),
    'message/retry': z.object({ clientMessageId }).strict(),
    'message/cancel': z.object({ clientMessageId }).strict(),
    'attachment/pick': z.object({}).strict(),
    /** Pick files and send each through the venue's upload API (progress via `upload/progress`, cancel via `message/cancel`). */
    'attachment/upload': z.object({ caption: z.string().max(20000).default(''), replyTo }).strict(),
    /** Compose a location, contact or sticker: the host asks for it (input boxes, a pick list) and queues it; nothing else comes from the pane. */
    'compose/structured': z.object({ kind: z.enum(STRUCTURED_KINDS), replyTo }).strict(),
    'conversation/markRead': z.object({ upTo: z.number().int().nonnegative().optional() }).strict(),
    'link/open': z.object({ url: httpUrl }).strict(),
    /**
     * Save a stored message's attachment (by key and index) through the host: it asks where, takes the
     * link from its own store or the venue (never from the pane) and reports `download/progress`.
     */
    'attachment/download': z.object({ key: messageKey, index: z.number().int().min(0).max(MAX_ATTACHMENT_INDEX) }).strict(),
    'draft/save': z.object({ text: z.string().max(20000) }).strict(),
  } as const;
});

type RequestSchemas = ReturnType<typeof requestSchemas>;
export type RequestMethod = keyof RequestSchemas;
export type RequestParams<M extends RequestMethod> = Z.input<RequestSchemas[M]>;
export type ValidRequestParams<M extends RequestMethod> = Z.output<RequestSchemas[M]>;

export interface HistoryPage {
  /** Oldest first. */
  readonly messages: readonly ChatMessage[];
  /** Pass back as `before` for the next older page; absent when there is nothing older. */
  readonly before?: string;
}

export interface PickedAttachment {
  readonly kind: 'image' | 'video' | 'file';
  readonly url: string;
  readonly name: string;
  readonly size: number;
}

export interface QueuedUpload {
  readonly key: string;
  readonly clientMessageId: string;
  readonly name: string;
  readonly size: number;
}

export interface RequestResults {
  'webview/ready': { readonly accepted: true };
  'history/page': HistoryPage;
  'message/send': { readonly key: string };
  'message/retry': { readonly key: string };
  'message/cancel': { readonly cancelled: boolean };
  'attachment/pick': { readonly attachment?: PickedAttachment };
  /** One entry per file queued (none when the user closed the picker). */
  'attachment/upload': { readonly queued: readonly QueuedUpload[] };
  /** The queued message; none when the user dismissed the prompts. */
  'compose/structured': { readonly queued?: { readonly key: string; readonly clientMessageId: string } };
  'conversation/markRead': { readonly unread: number };
  'link/open': { readonly opened: boolean };
  /** `saved: false` when the user dismissed the save dialog; failures are errors. */
  'attachment/download': { readonly saved: boolean };
  'draft/save': { readonly saved: true };
}

export interface RequestEnvelope<M extends RequestMethod = RequestMethod> {
  readonly id: number;
  readonly method: M;
  readonly params: RequestParams<M>;
}

export interface ProtocolError {
  /** Machine-readable: `bad-request`, `unknown-method`, `not-ready`, `venue`, `internal`, ... */
  readonly code: string;
  readonly message: string;
}

export type ResponseEnvelope<M extends RequestMethod = RequestMethod> =
  | { readonly id: number; readonly ok: true; readonly result: RequestResults[M] }
  | { readonly id: number; readonly ok: false; readonly error: ProtocolError };

// ---- host -> webview notifications --------------------------------------------------------

/** What the pane needs to know of the conversation's venue. */
export interface VenueInfo {
  /** The venue's display name (its descriptor's). */
  readonly name: string;
  /** The venue keeps chat history the client can page (false: MEXC; the store holds all there is). */
  readonly serverHistory: boolean;
}

export interface ConversationSnapshot {
  /**
   * The pane reads it (and every `conversation/update`) through the one conversation check,
   * `readConversation` in shared/conversationValidator.ts.
   */
  readonly conversation: Conversation;
  readonly venue: VenueInfo;
  /** Newest page from the store, oldest first. */
  readonly messages: readonly ChatMessage[];
  readonly before?: string;
  readonly connection: ConnectionState;
  readonly composer: ComposerCapabilities;
  readonly draft?: string;
}

export type DownloadState = 'running' | 'done' | 'failed' | 'cancelled';

/** How far the host is with saving one attachment (at most about ten a second while running). */
export interface DownloadProgress {
  readonly key: string;
  readonly index: number;
  readonly received: number;
  /** Absent when the server sent no length. */
  readonly total?: number;
  readonly state: DownloadState;
  /** Why it failed (for the user). */
  readonly message?: string;
}

export interface NotificationParams {
  'conversation/snapshot': ConversationSnapshot;
  'conversation/update': { readonly conversation: Conversation };
  /** Insert or replace by `key`. */
  'message/upsert': { readonly messages: readonly ChatMessage[] };
  'connection/state': { readonly state: ConnectionState };
  /** Bytes of a file uploaded so far (our message `clientMessageId`). */
  'upload/progress': { readonly clientMessageId: string; readonly sent: number; readonly total: number };
  /** A download of one of this conversation's attachments (`attachment/download` or the command). */
  'download/progress': DownloadProgress;
  /** A problem the user should see in the pane (bad input, a rejected send, ...). */
  'notice/show': { readonly level: 'info' | 'warning' | 'error'; readonly message: string };
  /** Send what the composer holds, as its Send button does (the Send Message command and its keybinding). */
  'composer/send': Record<string, never>;
  /** Focus the composer and, where the pane can quote it, start a reply to the message under `replyTo.key`. */
  'composer/focus': { readonly replyTo?: { readonly key: string } };
}

export type NotificationMethod = keyof NotificationParams;

export interface NotificationEnvelope<M extends NotificationMethod = NotificationMethod> {
  readonly method: M;
  readonly params: NotificationParams[M];
}

export type HostToWebview = ResponseEnvelope | NotificationEnvelope;

// ---- host-side validation -------------------------------------------------------------------

export type ParsedRequest =
  | { readonly ok: true; readonly id: number; readonly method: RequestMethod; readonly params: unknown }
  | { readonly ok: false; readonly id: number | undefined; readonly error: ProtocolError };

const envelopeSchema = lazy(() => {
  const z = zod();
  return z.object({
    id: z.number().int().nonnegative(),
    method: z.string().max(64),
    params: z.unknown().optional(),
  });
});

export function isRequestMethod(method: string): method is RequestMethod {
  return Object.prototype.hasOwnProperty.call(requestSchemas(), method);
}

/** Validates an untrusted postMessage payload. Never throws. */
export function parseRequest(raw: unknown): ParsedRequest {
  const z = zod();
  const env = envelopeSchema().safeParse(raw);
  if (!env.success) {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : undefined;
    return { ok: false, id, error: { code: 'bad-request', message: `malformed envelope: ${z.prettifyError(env.error)}` } };
  }
  const { id, method } = env.data;
  if (!isRequestMethod(method)) {
    return { ok: false, id, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(method)}` } };
  }
  const params = requestSchemas()[method].safeParse(env.data.params ?? {});
  if (!params.success) {
    return { ok: false, id, error: { code: 'bad-request', message: `${method}: ${z.prettifyError(params.error)}` } };
  }
  return { ok: true, id, method, params: params.data };
}
