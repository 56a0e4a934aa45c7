// The seeded gateway, deterministic from `seed`: account 0 is an organisation reached by API key
// with a connected WhatsApp profile, customers' conversations and their history (one long enough to
// page through); account 1 is another organisation reached by e-mail/password login whose profile
// has never been paired. Ids are v4-shaped UUIDs drawn from the seed; WhatsApp ids look like
// whatsapp-web.js ones (`true_<chat>@c.us_3EB0…` ours, `false_<chat>@c.us_…` theirs).
import type { MediaFile } from '../util/media';
import { seededRandom, type Random } from '../util/random';
import { MultiwaStore, sha256Hex, type ConversationRow, type JsonObject, type MessageRow, type ProfileRow } from './store';
import { inboundContent, type InboundKind } from './content';

export function uuidFrom(r: Random): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'.charAt(r.int(0, 3))}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const outgoingWaId = (r: Random, chatJid: string): string => `true_${chatJid.replace('@s.whatsapp.net', '@c.us')}_3EB0${r.hex(18).toUpperCase()}`;
export const incomingWaId = (r: Random, chatJid: string): string => `false_${chatJid.replace('@s.whatsapp.net', '@c.us')}_${r.hex(20).toUpperCase()}`;

export interface SeededAccount {
  readonly index: number;
  readonly label: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly profileId: string;
  readonly apiKey: string;
  readonly email: string;
  readonly password: string;
}

export interface SeedResult {
  readonly store: MultiwaStore;
  readonly accounts: readonly SeededAccount[];
}

const CUSTOMERS: readonly (readonly [name: string, phone: string])[] = [
  ['Amira Hassan', '6281311110001'],
  ['Budi Santoso', '6281311110002'],
  ['Carlos Mendes', '5511987650003'],
  ['Dewi Lestari', '6281311110004'],
  ['Emeka Obi', '2348031110005'],
];

const SMALL_TALK_IN = ['Hi, is the USDT offer still open?', 'How much can you do today?', 'I sent the transfer, please check', 'Thanks!', 'Can we do 500?', 'ok 👍', 'Which bank?'];
const SMALL_TALK_OUT = ['Yes, it is open.', 'Up to 2,000 USDT today.', 'Checking now…', 'Received, releasing.', 'Sure, 500 works.', 'Bank details coming.'];

export interface SeedInput {
  readonly seed: number | string;
  readonly now: number;
  readonly library: ReadonlyMap<string, MediaFile>;
  /** Messages in the long conversation (account 0's first customer). */
  readonly longHistory: number;
  readonly messageDelayMs: number;
  readonly dailyMessageLimit: number | null;
}

function profileRow(r: Random, workspaceId: string, accountId: string, displayName: string, now: number, paired: boolean, input: SeedInput): ProfileRow {
  return {
    id: uuidFrom(r), workspaceId, accountId, displayName, phoneNumber: paired ? '6281234500001' : null, pushName: paired ? displayName : null,
    status: paired ? 'connected' : 'disconnected', messageDelayMs: input.messageDelayMs, dailyMessageLimit: input.dailyMessageLimit,
    dailyMessageCount: 0, dailyResetAt: null, lastConnectedAt: paired ? now - 3_600_000 : null, createdAt: now - 30 * 86_400_000, updatedAt: now - 3_600_000,
  };
}

/** Adds one customer's conversation with `count` messages ending `endAgoMs` before now. */
export function seedConversation(
  store: MultiwaStore, r: Random, profile: ProfileRow, customer: readonly [string, string], count: number, endAgoMs: number, now: number,
  library: ReadonlyMap<string, MediaFile>, unread: number,
): ConversationRow {
  const [name, phone] = customer;
  const jid = `${phone}@s.whatsapp.net`;
  const start = now - endAgoMs - count * 60_000;
  const conversation: ConversationRow = {
    id: uuidFrom(r), profileId: profile.id, contactId: null, assignedUserId: null, jid, name, type: 'user', unreadCount: 0,
    metadata: {}, lastMessageAt: null, createdAt: start - 60_000, updatedAt: start,
  };
  store.addConversation(conversation);
  const contacts = store.contacts.get(profile.id) ?? [];
  contacts.push({ id: uuidFrom(r), phone, name });
  store.contacts.set(profile.id, contacts);
  for (let i = 0; i < count; i++) {
    const timestamp = start + i * 60_000 + r.int(0, 50_000);
    const incoming = i % 2 === 0 || i >= count - unread;
    let kind: InboundKind = 'text';
    if (incoming && i % 50 === 25) kind = 'image';
    else if (incoming && i % 100 === 51) kind = 'document';
    const content: JsonObject = incoming ? inboundContent(kind, r.pick(SMALL_TALK_IN), library) : { text: r.pick(SMALL_TALK_OUT) };
    const row: MessageRow = {
      id: uuidFrom(r), profileId: profile.id, conversationId: conversation.id, messageId: incoming ? incomingWaId(r, jid) : outgoingWaId(r, jid),
      direction: incoming ? 'incoming' : 'outgoing', senderJid: incoming ? jid : (profile.phoneNumber ?? 'unknown'),
      type: incoming && kind !== 'text' ? kind : 'text', content, quotedMessageId: null,
      status: incoming ? 'received' : 'read', lane: incoming ? null : 'service', timestamp, metadata: null, createdAt: timestamp,
    };
    store.addMessage(row);
    conversation.lastMessageAt = timestamp;
    conversation.updatedAt = timestamp;
  }
  conversation.unreadCount = unread;
  return conversation;
}

export function buildSeededStore(input: SeedInput): SeedResult {
  const store = new MultiwaStore();
  const r = seededRandom(input.seed, 'multiwa-seed');
  const accounts: SeededAccount[] = [];
  const labels = ['Sandbox WhatsApp (MultiWA)', 'Sandbox WhatsApp pairing (MultiWA)'];
  labels.forEach((label, index) => {
    const org = { id: uuidFrom(r), name: index === 0 ? 'Sandbox Desk' : 'Sandbox Second Desk', slug: `sandbox-${index}-${r.hex(8)}`, workspaceId: uuidFrom(r), accountId: uuidFrom(r), createdAt: input.now - 60 * 86_400_000 };
    store.organizations.push(org);
    const email = index === 0 ? 'desk@sandbox.multiwa.test' : 'second@sandbox.multiwa.test';
    const password = `Sandbox-${r.alnum(12)}`;
    const user = { id: uuidFrom(r), organizationId: org.id, email, name: index === 0 ? 'Desk Owner' : 'Second Owner', role: 'owner' as const, password };
    store.users.push(user);
    const apiKey = `mwa_${r.hex(40)}`;
    store.apiKeys.push({ id: uuidFrom(r), userId: user.id, keyHash: sha256Hex(apiKey), expiresAt: null });
    const profile = profileRow(r, org.workspaceId, org.accountId, index === 0 ? 'Desk phone' : 'New phone', input.now, index === 0, input);
    store.profiles.push(profile);
    accounts.push({ index, label, organizationId: org.id, userId: user.id, profileId: profile.id, apiKey, email, password });
    if (index === 0) {
      const first = CUSTOMERS[0]!;
      seedConversation(store, r, profile, first, input.longHistory, 20 * 60_000, input.now, input.library, 2);
      CUSTOMERS.slice(1, 4).forEach((c, i) => seedConversation(store, r, profile, c, 6 + i * 3, (i + 1) * 3 * 3_600_000, input.now, input.library, i === 0 ? 1 : 0));
    }
  });
  return { store, accounts };
}

/** The customers a pairing brings in (account 1's first chats once its phone is linked). */
export const PAIRING_CUSTOMERS = CUSTOMERS.slice(3);
export const SEED_CUSTOMERS = CUSTOMERS;
