// `POST /messages/<kind>` as the gateway's controller, guards and MessagesService run it: the
// tenant guard first (403 for a missing or foreign profileId, before any validation), then the
// DTO (400 with the message lines), then the kind's own checks (poll options, the quoted or
// reacted-to row: 404), then queueMessage: the row is created `pending_<ts>_<rand>` and the
// conversation found or created, and then by engine state and send mode:
//   no engine (never paired, disconnected, reconnecting) → 201 pending + warning, and it stays so;
//   queued (durable mode) → 201 queued, sent by the queue a moment later (no waMessageId now);
//   engine not ready (pairing) or failing → 201 success:false, row failed;
//   otherwise the send gate (spacing, daily cap → 429 and the row failed), then sent with a WhatsApp id.
import { SEND_DTOS, normalizeJid, validateDto } from './validation';
import { outgoingWaId, uuidFrom } from './seed';
import type { FaultState } from './faults';
import type { Random } from '../util/random';
import type { MultiwaSettings } from './emulator';
import type { ConversationRow, JsonObject, MessageRow, MultiwaStore, ProfileRow, User } from './store';

export interface SendOutcome {
  readonly status: number;
  readonly body: unknown;
  /** The send was committed (the lose-replies fault cuts the reply only after this). */
  readonly committed: boolean;
}

export interface SendPorts {
  readonly store: MultiwaStore;
  readonly settings: MultiwaSettings;
  readonly faults: FaultState;
  now(): number;
  random(label: string): Random;
  engineOf(profileId: string): 'ready' | 'pairing' | 'none';
  gate<T>(profile: ProfileRow, run: () => T): Promise<T | { limit: JsonObject }>;
  afterSent(row: MessageRow): void;
  schedule(fn: () => void, ms: number): void;
  emitUpdate(row: MessageRow): void;
  log(line: string): void;
}

const nest = (statusCode: number, message: string | string[], error: string): SendOutcome => ({ status: statusCode, body: { statusCode, message, error }, committed: false });
const created = (body: JsonObject): SendOutcome => ({ status: 201, body, committed: true });

const MEDIA_KINDS = new Set(['image', 'video', 'audio', 'document']);
const DEFAULT_MIME: Readonly<Record<string, string>> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mpeg', document: 'application/octet-stream' };

/** The content JSON the service writes for each kind (undefined fields vanish, as in Postgres JSON). */
function contentOf(kind: string, v: Readonly<Record<string, unknown>>): JsonObject {
  const pick = (...names: string[]): JsonObject => Object.fromEntries(names.filter((n) => v[n] !== undefined).map((n) => [n, v[n] as JsonObject[string]]));
  switch (kind) {
    case 'text':
    case 'reply':
      return { text: v.text as string };
    case 'image':
    case 'video':
      return { ...pick('url', 'base64', 'caption'), mimetype: (v.mimetype as string | undefined) ?? DEFAULT_MIME[kind]! };
    case 'audio':
      return { ...pick('url', 'base64'), mimetype: (v.mimetype as string | undefined) ?? DEFAULT_MIME.audio!, ptt: v.ptt === true };
    case 'document':
      return { ...pick('url', 'base64', 'filename', 'caption'), mimetype: (v.mimetype as string | undefined) ?? DEFAULT_MIME.document! };
    case 'location':
      return pick('latitude', 'longitude', 'name', 'address');
    case 'contact': {
      const contacts = v.contacts as { name: string; phone: string; email?: string }[];
      return {
        contacts: contacts.map((c) => ({ displayName: c.name, vcard: vcard(c) })),
        ...(contacts[0] ? { name: contacts[0].name, phone: contacts[0].phone } : {}),
      };
    }
    case 'poll':
      return { question: v.question as string, options: v.options as string[], allowMultipleAnswers: v.allowMultipleAnswers === true };
    default:
      return {};
  }
}

function vcard(c: { name: string; phone: string; email?: string }): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${c.name}`, `TEL;type=CELL;type=VOICE;waid=${c.phone.replace(/\D/g, '')}:${c.phone}`, c.email ? `EMAIL:${c.email}` : '', 'END:VCARD'].filter(Boolean).join('\n');
}

/** What the engine would refuse although the DTO passed (whatsapp-web.js errors surface as success:false). */
function engineRefusal(kind: string, content: JsonObject): string | undefined {
  if (MEDIA_KINDS.has(kind) && typeof content.url !== 'string' && typeof content.base64 !== 'string') return 'Either url or base64 is required for media messages';
  if (MEDIA_KINDS.has(kind) && typeof content.url === 'string' && !/^(https?:|data:)/i.test(content.url)) return `Invalid media URL: ${content.url}`;
  return undefined;
}

export async function sendMessage(ports: SendPorts, user: User, kind: string, raw: Readonly<Record<string, unknown>>): Promise<SendOutcome> {
  const { store } = ports;
  const rules = SEND_DTOS[kind];
  if (!rules) return nest(404, `Cannot POST /api/v1/messages/${kind}`, 'Not Found');
  const rawProfileId = raw.profileId;
  if (rawProfileId === undefined || rawProfileId === null || rawProfileId === '') return nest(403, 'Missing profileId', 'Forbidden');
  const profile = store.profile(String(rawProfileId));
  if (!profile || store.organizationOfProfile(profile)?.id !== user.organizationId) return nest(403, 'Resource not found in your organization', 'Forbidden');
  const checked = validateDto(rules, raw);
  if (!checked.ok) return nest(400, checked.messages, 'Bad Request');
  const v = checked.value;
  const engine = ports.engineOf(profile.id);

  if (kind === 'typing' || kind === 'mark-read') {
    const target = kind === 'typing' ? (v.to as string) : (v.chatId as string);
    if (!/@|\d/.test(target)) return nest(400, `Invalid recipient: ${target}`, 'Bad Request');
    if (engine !== 'ready') return nest(404, 'Profile not connected', 'Not Found');
    const jid = normalizeJid(target);
    if (kind === 'typing') return created({ success: true, state: (v.state as string | undefined) ?? 'composing', to: jid });
    const ids = (v.messageIds as string[] | undefined) ?? null;
    return { status: 201, body: ids === null ? { success: true, chatId: jid } : { success: true, chatId: jid, messageIds: ids }, committed: true };
  }
  if (kind === 'poll') {
    const options = v.options as string[];
    if (options.length < 2) return nest(400, 'Poll must have at least 2 options', 'Bad Request');
    if (options.length > 12) return nest(400, 'Poll cannot have more than 12 options', 'Bad Request');
  }

  let jid: string;
  let quotedMessageId: string | undefined;
  let content: JsonObject;
  let type = kind;
  if (kind === 'reply' || kind === 'reaction') {
    const target = store.message(String(kind === 'reply' ? v.quotedMessageId : v.messageId));
    if (!target) return nest(404, kind === 'reply' ? 'Quoted message not found' : 'Message not found', 'Not Found');
    jid = store.conversation(target.conversationId)!.jid;
    if (kind === 'reply') {
      type = 'text';
      quotedMessageId = target.id;
      content = { text: v.text as string };
    } else {
      content = { messageId: target.messageId, emoji: v.emoji as string };
    }
  } else {
    jid = normalizeJid(v.to as string);
    content = contentOf(kind, v);
    if (kind === 'text' && typeof v.quotedMessageId === 'string' && v.quotedMessageId !== '') quotedMessageId = v.quotedMessageId;
  }
  return queueMessage(ports, profile, typeof raw.to === 'string' ? raw.to : jid, jid, type, content, quotedMessageId);
}

async function queueMessage(ports: SendPorts, profile: ProfileRow, to: string, jid: string, type: string, content: JsonObject, quotedMessageId: string | undefined): Promise<SendOutcome> {
  const { store } = ports;
  const now = ports.now();
  const r = ports.random('send');
  let conversation = store.conversationByJid(profile.id, jid);
  if (!conversation) {
    conversation = {
      id: uuidFrom(r), profileId: profile.id, contactId: null, assignedUserId: null, jid, name: to, type: jid.includes('@g.us') ? 'group' : 'user',
      unreadCount: 0, metadata: {}, lastMessageAt: null, createdAt: now, updatedAt: now,
    } satisfies ConversationRow;
    store.addConversation(conversation);
  }
  const lastIncoming = store.messagesOf(conversation.id).filter((m) => m.direction === 'incoming').pop();
  const row: MessageRow = {
    id: uuidFrom(r), profileId: profile.id, conversationId: conversation.id, messageId: `pending_${now}_${r.alnum(11).toLowerCase()}`,
    direction: 'outgoing', senderJid: profile.phoneNumber ?? 'unknown', type, content, quotedMessageId: quotedMessageId ?? null, status: 'pending',
    lane: lastIncoming && now - lastIncoming.timestamp < 24 * 3_600_000 ? 'service' : 'cold',
    timestamp: Math.max(now, (store.lastMessage(conversation.id)?.timestamp ?? 0) + 1), metadata: null, createdAt: now,
  };
  store.addMessage(row);
  conversation.lastMessageAt = now;
  conversation.updatedAt = now;
  const base = { messageId: row.id, conversationId: conversation.id };
  const markSent = (): string | undefined => {
    // whatsapp-web.js reactions return no message id: the row keeps its pending_ id and status.
    if (type === 'reaction') return undefined;
    row.messageId = outgoingWaId(r, jid);
    row.status = 'sent';
    return row.messageId;
  };

  if (ports.faults.sendMode === 'queued') {
    if (profile.dailyMessageLimit !== null && profile.dailyResetAt !== null && profile.dailyResetAt > now && profile.dailyMessageCount >= profile.dailyMessageLimit) {
      row.status = 'failed';
      return { status: 429, body: { error: 'DAILY_LIMIT_REACHED', limit: profile.dailyMessageLimit, count: profile.dailyMessageCount, resetAt: new Date(profile.dailyResetAt).toISOString() }, committed: true };
    }
    row.status = 'queued';
    ports.schedule(() => {
      void ports.gate(profile, () => {
        if (ports.engineOf(profile.id) !== 'ready') {
          row.status = 'failed';
          return;
        }
        if (markSent() !== undefined) ports.afterSent(row);
      }).then((outcome) => {
        if (typeof outcome === 'object' && outcome !== null && 'limit' in outcome) row.status = 'failed';
      });
    }, ports.settings.queueDelayMs);
    return created({ success: true, ...base, status: 'queued' });
  }

  const engine = ports.engineOf(profile.id);
  if (engine === 'none') return created({ success: true, ...base, status: 'pending', warning: 'Profile not connected, message queued' });
  const refusal = engine === 'pairing' ? 'WhatsApp client is not ready' : ports.faults.sendMode === 'engineFailure' ? 'Evaluation failed: Error: Message send failed' : engineRefusal(type, content);
  const outcome = await ports.gate(profile, () => (refusal === undefined ? markSent() ?? '' : undefined));
  if (typeof outcome === 'object' && outcome !== null) {
    row.status = 'failed';
    return { status: 429, body: outcome.limit, committed: true };
  }
  if (outcome === undefined) {
    row.status = 'failed';
    ports.log(`multiwa send failed: ${refusal ?? ''}`);
    return created({ success: false, ...base, status: 'failed', error: refusal ?? 'send failed' });
  }
  if (outcome !== '') ports.afterSent(row);
  return created({ success: true, ...base, ...(outcome !== '' ? { waMessageId: outcome } : {}), status: 'sent' });
}
