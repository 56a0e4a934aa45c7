// The emulated MultiWA database: organisations with their users and API keys, WhatsApp profiles,
// conversations and message rows. Rows carry exactly the columns of the gateway's Prisma models
// (Message, Conversation, Profile), so what REST and the realtime events serialise is what the
// real server sends. Plain data plus lookups; no I/O.
import { createHash } from 'node:crypto';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Direction = 'incoming' | 'outgoing';
/** What the gateway writes: pending/queued/sent/delivered/read/played/failed on our rows, received on theirs. */
export type MessageStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'received';

/** Prisma `Message`; times are Date in the store and ISO strings on the wire. */
export interface MessageRow {
  readonly id: string;
  readonly profileId: string;
  readonly conversationId: string;
  messageId: string;
  readonly direction: Direction;
  readonly senderJid: string;
  readonly type: string;
  readonly content: JsonObject;
  readonly quotedMessageId: string | null;
  status: MessageStatus;
  /** Send-policy lane of our rows ("service": the contact wrote within the service window; else "cold"). */
  readonly lane: 'service' | 'cold' | null;
  readonly timestamp: number;
  readonly metadata: JsonObject | null;
  readonly createdAt: number;
}

/** Prisma `Conversation`. */
export interface ConversationRow {
  readonly id: string;
  readonly profileId: string;
  contactId: string | null;
  readonly assignedUserId: string | null;
  readonly jid: string;
  name: string | null;
  readonly type: 'user' | 'group' | 'broadcast';
  unreadCount: number;
  metadata: JsonObject;
  lastMessageAt: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface Contact {
  readonly id: string;
  readonly phone: string;
  readonly name: string;
}

export type ProfileStatus = 'connected' | 'connecting' | 'disconnected';

export interface ProfileRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly accountId: string;
  readonly displayName: string;
  phoneNumber: string | null;
  pushName: string | null;
  status: ProfileStatus;
  messageDelayMs: number;
  dailyMessageLimit: number | null;
  dailyMessageCount: number;
  dailyResetAt: number | null;
  lastConnectedAt: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly workspaceId: string;
  readonly accountId: string;
  readonly createdAt: number;
}

export interface User {
  readonly id: string;
  readonly organizationId: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'owner' | 'admin' | 'member' | 'viewer';
  readonly password: string;
}

export interface ApiKey {
  readonly id: string;
  readonly userId: string;
  /** sha256 hex of the key: the server never stores the key itself. */
  readonly keyHash: string;
  expiresAt: number | null;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A message row as the server serialises it. */
export function messageJson(m: MessageRow): JsonObject {
  return {
    id: m.id, profileId: m.profileId, conversationId: m.conversationId, messageId: m.messageId, direction: m.direction,
    senderJid: m.senderJid, type: m.type, content: m.content, quotedMessageId: m.quotedMessageId, status: m.status,
    lane: m.lane, timestamp: iso(m.timestamp), metadata: m.metadata, createdAt: iso(m.createdAt),
  };
}

/** A conversation row as the server serialises it. */
export function conversationJson(c: ConversationRow): JsonObject {
  return {
    id: c.id, profileId: c.profileId, contactId: c.contactId, assignedUserId: c.assignedUserId, jid: c.jid, name: c.name,
    type: c.type, unreadCount: c.unreadCount, metadata: c.metadata, lastMessageAt: iso(c.lastMessageAt),
    createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt),
  };
}

export function profileJson(p: ProfileRow): JsonObject {
  return {
    id: p.id, workspaceId: p.workspaceId, accountId: p.accountId, displayName: p.displayName, phoneNumber: p.phoneNumber,
    pushName: p.pushName, profilePicUrl: null, status: p.status, sessionData: null, webhookUrl: null, webhookSecret: null,
    settings: {}, messageDelayMs: p.messageDelayMs, messageDelayJitterMs: 0, dailyMessageLimit: p.dailyMessageLimit,
    dailyMessageCount: p.dailyMessageCount, dailyResetAt: iso(p.dailyResetAt), warmupEnabled: false, warmupStartPerDay: null,
    warmupRampDays: null, warmupStartedAt: null, serviceWindowHours: 24, coldDailyLimit: null, coldMessageCount: 0,
    coldCircuitState: 'closed', coldCircuitOpenedAt: null, engine: 'whatsapp-web-js', lastConnectedAt: iso(p.lastConnectedAt),
    createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt),
  };
}

export class MultiwaStore {
  readonly organizations: Organization[] = [];
  readonly users: User[] = [];
  readonly apiKeys: ApiKey[] = [];
  readonly profiles: ProfileRow[] = [];
  readonly contacts = new Map<string, Contact[]>();
  private readonly conversations = new Map<string, ConversationRow>();
  private readonly messages = new Map<string, MessageRow[]>();
  private readonly messagesById = new Map<string, MessageRow>();

  apiKeyByKey(key: string): ApiKey | undefined {
    const hash = sha256Hex(key);
    return this.apiKeys.find((k) => k.keyHash === hash);
  }

  user(id: string): User | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByEmail(email: string): User | undefined {
    return this.users.find((u) => u.email === email);
  }

  organization(id: string): Organization | undefined {
    return this.organizations.find((o) => o.id === id);
  }

  profile(id: string): ProfileRow | undefined {
    return this.profiles.find((p) => p.id === id);
  }

  organizationOfProfile(profile: ProfileRow): Organization | undefined {
    return this.organizations.find((o) => o.workspaceId === profile.workspaceId);
  }

  profilesOf(organizationId: string): ProfileRow[] {
    const org = this.organization(organizationId);
    return org ? this.profiles.filter((p) => p.workspaceId === org.workspaceId) : [];
  }

  addConversation(c: ConversationRow): void {
    this.conversations.set(c.id, c);
    this.messages.set(c.id, []);
  }

  conversation(id: string): ConversationRow | undefined {
    return this.conversations.get(id);
  }

  conversationByJid(profileId: string, jid: string): ConversationRow | undefined {
    return [...this.conversations.values()].find((c) => c.profileId === profileId && c.jid === jid);
  }

  conversationsOf(profileId: string): ConversationRow[] {
    return [...this.conversations.values()].filter((c) => c.profileId === profileId);
  }

  allConversations(): ConversationRow[] {
    return [...this.conversations.values()];
  }

  addMessage(m: MessageRow): void {
    const list = this.messages.get(m.conversationId);
    if (!list) throw new Error(`unknown conversation ${m.conversationId}`);
    list.push(m);
    this.messagesById.set(m.id, m);
  }

  message(id: string): MessageRow | undefined {
    return this.messagesById.get(id);
  }

  /** Rows with this WhatsApp id (an ack updates all of them, as the server's updateMany does). */
  messagesByWaId(profileId: string, waId: string): MessageRow[] {
    return [...this.messagesById.values()].filter((m) => m.profileId === profileId && m.messageId === waId);
  }

  /** Oldest first (by timestamp, then insertion). */
  messagesOf(conversationId: string): MessageRow[] {
    return [...(this.messages.get(conversationId) ?? [])].sort((a, b) => a.timestamp - b.timestamp);
  }

  lastMessage(conversationId: string): MessageRow | undefined {
    const list = this.messagesOf(conversationId);
    return list[list.length - 1];
  }

  contactOf(profileId: string, phone: string): Contact | undefined {
    return (this.contacts.get(profileId) ?? []).find((c) => c.phone === phone);
  }
}
