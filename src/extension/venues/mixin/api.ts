// Mixin REST (docs/venue-protocols.md, Mixin): every request carries its own JWT (auth.ts) and an
// `X-Request-Id` the server echoes. Success is HTTP 200 `{data}`; a refusal is HTTP **202** with
// `{error: {code, description}}` (only server faults are 5xx). A 401 names the clock when the
// server's Date header is far from ours, since a skewed clock is the usual cause.
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { systemClock, type Clock } from '../../core/clock';
import { HttpClient, type HttpResponse } from '../../core/connection/httpClient';
import type { HttpBody } from '../../core/connection/httpBody';
import type { Logger } from '../../core/logger';
import { MAX_VENUE_WORDS, preview, venueWords } from '../framePreview';
import { VenueError } from '../venue';
import { type MixinSigner } from './auth';
import * as l10n from '@vscode/l10n';

export interface MixinRestOptions {
  readonly baseUrl: string;
  readonly signer: MixinSigner;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const errorSchema = z.object({ error: z.object({ code: z.union([z.number(), z.string()]), description: z.string().nullish(), desciption: z.string().nullish() }).passthrough() }).passthrough();
const dataSchema = z.object({ data: z.unknown() }).passthrough();
const attachmentSchema = z.object({ attachment_id: z.string().min(1), upload_url: z.string().nullish(), view_url: z.string().nullish() }).passthrough();
const userSchema = z.object({ user_id: z.string().min(1), full_name: z.string().nullish(), identity_number: z.string().nullish() }).passthrough();
export type MixinUser = z.output<typeof userSchema>;
/** `GET /stickers/:id`: the sticker's picture (`asset_url`) and name. */
const stickerSchema = z.object({ sticker_id: z.string().min(1), name: z.string().nullish(), asset_url: z.string().nullish(), album_id: z.string().nullish() }).passthrough();
export type MixinSticker = z.output<typeof stickerSchema>;

/** A message for `POST /messages` (and, the same fields, for Blaze `CREATE_MESSAGE`). */
export interface MixinOutgoing {
  readonly conversation_id: string;
  readonly recipient_id?: string;
  readonly message_id: string;
  readonly category: string;
  readonly data_base64: string;
  readonly quote_message_id?: string;
}

/** Mixin's skew tolerance is about 5 minutes; beyond a minute is worth naming. */
const SKEW_WORTH_NAMING_MS = 60_000;

export class MixinRestClient {
  private readonly http: HttpClient;
  private readonly clock: Clock;
  /** Server time minus ours, learnt from the Date header of replies. */
  private offsetMs = 0;

  constructor(private readonly options: MixinRestOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      venue: 'Mixin',
      timeoutMs: options.timeoutMs ?? 15_000,
      rateLimit: { capacity: 20, refillPerSecond: 10 },
      sign: (req) => {
        const requestId = randomUUID();
        const uri = `${req.path || '/'}${req.query ? `?${req.query}` : ''}`;
        const token = options.signer.token({ method: req.method, uri, body: req.body, requestId }, req.timestamp);
        return { headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': requestId } };
      },
      clock: this.clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  /** A Blaze handshake token: the JWT over GET + "/" + "". */
  blazeToken(): string {
    return this.options.signer.token({ method: 'GET', uri: '/', requestId: randomUUID() }, this.clock.now());
  }

  async me(): Promise<MixinUser> {
    return mixinReplies.user(await this.call('GET', '/me', undefined, true), '/me', this.clockSkewNote());
  }

  async user(userId: string): Promise<MixinUser> {
    const path = `/users/${encodeURIComponent(userId)}`;
    return mixinReplies.user(await this.call('GET', path, undefined, true), path, this.clockSkewNote());
  }

  async sticker(stickerId: string): Promise<MixinSticker> {
    const path = `/stickers/${encodeURIComponent(stickerId)}`;
    return mixinReplies.sticker(await this.call('GET', path, undefined, true), path, this.clockSkewNote());
  }

  /** Creates the contact conversation with a user (it must exist before the bot writes first). */
  async createContactConversation(conversationId: string, userId: string): Promise<void> {
    const res = await this.call('POST', '/conversations', { category: 'CONTACT', conversation_id: conversationId, participants: [{ user_id: userId }] }, true);
    mixinReplies.done(res, 'POST', '/conversations', true, this.clockSkewNote());
  }

  async createAttachment(): Promise<MixinAttachment> {
    return mixinReplies.attachment(await this.call('POST', '/attachments', {}, false), 'POST', '/attachments', false, this.clockSkewNote());
  }

  async attachment(attachmentId: string): Promise<MixinAttachment> {
    const path = `/attachments/${encodeURIComponent(attachmentId)}`;
    return mixinReplies.attachment(await this.call('GET', path, undefined, true), 'GET', path, true, this.clockSkewNote());
  }

  /** PUTs the bytes to the pre-signed upload URL (S3 style: no JWT). */
  async putAttachment(uploadUrl: string, bytes: Uint8Array, onProgress: (sent: number, total: number) => void, signal: AbortSignal): Promise<void> {
    const res = await this.http.request({
      method: 'PUT',
      path: uploadUrl,
      body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      headers: { 'Content-Type': 'application/octet-stream', 'x-amz-acl': 'public-read' },
      signed: false,
      idempotent: true,
      expectJson: false,
      onUploadProgress: onProgress,
      signal,
      timeoutMs: 120_000,
    });
    if (res.status < 200 || res.status >= 300) throw new VenueError(res.status === 403 ? 'rejected' : 'unavailable', l10n.t('the attachment upload was refused (HTTP {0})', res.status), res.status);
  }

  /** Up to 100 messages in one call (≤ 128 KB); the message ids make a repeat harmless. */
  async sendMessages(messages: readonly MixinOutgoing[]): Promise<void> {
    mixinReplies.done(await this.call('POST', '/messages', messages, false), 'POST', '/messages', false, this.clockSkewNote());
  }

  /** Marks received messages handled (≤ 100 a call), so they are not pushed again. */
  async acknowledge(messageIds: readonly string[], status: 'READ' | 'DELIVERED' = 'READ'): Promise<void> {
    for (let i = 0; i < messageIds.length; i += 100) {
      const res = await this.call('POST', '/acknowledgements', messageIds.slice(i, i + 100).map((message_id) => ({ message_id, status })), true);
      mixinReplies.done(res, 'POST', '/acknowledgements', true, this.clockSkewNote());
    }
  }

  dispose(): void {
    this.http.dispose();
  }

  private async call(method: 'GET' | 'POST', path: string, body: HttpBody | undefined, idempotent: boolean): Promise<HttpResponse> {
    const res = await this.http.request({ method, path, ...(body !== undefined ? { body } : {}), idempotent });
    this.noteServerTime(res);
    return res;
  }

  private noteServerTime(res: HttpResponse): void {
    const server = Date.parse(res.headers['date'] ?? '');
    if (Number.isFinite(server)) this.offsetMs = server - this.clock.now();
  }

  /** The clock difference to name in an auth error, if it is large enough to be the cause. */
  clockSkewNote(): string {
    if (Math.abs(this.offsetMs) <= SKEW_WORTH_NAMING_MS) return '';
    const minutes = Math.round(Math.abs(this.offsetMs) / 60_000);
    // A sentence of its own, appended to the auth error after a space.
    return ` ${this.offsetMs > 0 ? l10n.t("This computer's clock is {0} min behind Mixin's: fix the clock.", minutes) : l10n.t("This computer's clock is {0} min ahead of Mixin's: fix the clock.", minutes)}`;
  }
}

export type MixinAttachment = z.output<typeof attachmentSchema>;

/**
 * Each call's reading of its reply, apart from the HTTP around it: what a reply means, or the
 * VenueError it is. `skewNote` names a skewed clock in an auth error. Pure, so the fuzz suite feeds
 * them generated replies (test/unit/fuzz).
 */
export const mixinReplies = {
  user: (res: HttpResponse, path: string, skewNote: string): MixinUser => readReply(res, 'GET', path, userSchema, true, skewNote),
  sticker: (res: HttpResponse, path: string, skewNote: string): MixinSticker => readReply(res, 'GET', path, stickerSchema, true, skewNote),
  attachment: (res: HttpResponse, method: 'GET' | 'POST', path: string, idempotent: boolean, skewNote: string): MixinAttachment => readReply(res, method, path, attachmentSchema, idempotent, skewNote),
  /** A call whose success carries nothing the client reads. */
  done: (res: HttpResponse, method: 'GET' | 'POST', path: string, idempotent: boolean, skewNote: string): void => void readReply(res, method, path, z.unknown(), idempotent, skewNote),
};

/** Success is HTTP 200 `{data}`; a refusal is `{error}`, usually with HTTP 202. */
function readReply<T extends z.ZodType>(res: HttpResponse, method: 'GET' | 'POST', path: string, schema: T, idempotent: boolean, skewNote: string): z.output<T> {
  const failed = errorSchema.safeParse(res.json);
  if (failed.success) throw mixinError(failed.data.error, path, skewNote);
  if (res.status !== 200) throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('Mixin answered HTTP {0} to {1} {2}', res.status, method, path), res.status);
  const envelope = dataSchema.safeParse(res.json);
  if (!envelope.success) throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('Mixin sent an unreadable reply to {0} {1}', method, path));
  const parsed = schema.safeParse(envelope.data.data);
  if (!parsed.success) throw new VenueError(idempotent ? 'unavailable' : 'unknown-outcome', l10n.t('Mixin sent unexpected data for {0} {1}: {2}', method, path, preview(z.prettifyError(parsed.error), MAX_VENUE_WORDS)));
  return parsed.data;
}

function mixinError(error: { code: number | string; description?: string | null; desciption?: string | null }, path: string, skewNote: string): VenueError {
  const code = Number(error.code);
  const said = venueWords(error.description ?? error.desciption ?? '');
  const words = said ? `: ${said}` : '';
  switch (code) {
    case 401:
      return new VenueError('auth', l10n.t({ message: 'Mixin refused the bot\'s token{0}. Check the keystore (app_id, session_id, session key).{1}', args: [words, skewNote], comment: ['{0} is empty, or a colon and Mixin\'s own words.', '{1} is empty, or a sentence about this computer\'s clock.'] }), code);
    case 403:
      return new VenueError('rejected', l10n.t({ message: 'Mixin forbids this for the bot{0}', args: [words], comment: ['{0} is empty, or a colon and Mixin\'s own words.'] }), code);
    case 404:
      return new VenueError('rejected', l10n.t({ message: 'Mixin has no {0}{1}', args: [path, words], comment: ['{1} is empty, or a colon and Mixin\'s own words.'] }), code);
    case 429:
      return new VenueError('rate-limit', l10n.t({ message: 'Mixin rate limit{0}', args: [words], comment: ['{0} is empty, or a colon and Mixin\'s own words.'] }), code, 5000);
    case 10002:
      return new VenueError('rejected', l10n.t({ message: 'Mixin refused a field{0}', args: [words], comment: ['{0} is empty, or a colon and Mixin\'s own words.'] }), code);
    case 7000:
    case 7001:
    case 500:
      return new VenueError('unavailable', l10n.t({ message: 'Mixin had a server error ({0}){1}', args: [code, words], comment: ['{1} is empty, or a colon and Mixin\'s own words.'] }), code);
    default:
      return new VenueError('rejected', l10n.t({ message: 'Mixin error {0}{1}', args: [venueWords(String(error.code)), words], comment: ['{1} is empty, or a colon and Mixin\'s own words.'] }), code);
  }
}
