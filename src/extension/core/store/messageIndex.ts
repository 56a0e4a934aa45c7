// The message store's in-memory state: the live messages of the conversations that are loaded
// (resident), with the maps that make upserts and lookups O(1) and paging O(log n + limit). A
// conversation is loaded from its own log when it is read or written and can be dropped again
// (evicted) at any time between writes: memory follows the conversations in use, not the history.
// Plain data, no I/O; MessageStore decides when it changes (only after the change is durable).
import type { ChatMessage } from '../../../shared/model';
import { canonicalId } from './canonicalId';
import { ConversationTimeline } from './conversationTimeline';
import type { StoreRecord } from './messageStoreRecord';
import { NO_WATERMARK, conversationHeader, isHeaderRecord, isMessageRecord, withWatermarks } from './messageStoreRecord';

/** One live message. `msg` is replaced (never mutated) on every change. */
export interface Slot {
  readonly key: string;
  readonly seq: number;
  msg: ChatMessage;
}

/** A key that was merged into another message; its ids keep leading there. */
interface Alias {
  target: Slot;
  readonly venueMessageId?: string;
  readonly clientMessageId?: string;
}

export interface ConversationState {
  readonly accountId: string;
  readonly conversationId: string;
  readonly timeline: ConversationTimeline<Slot>;
  /** Keyed by `canonicalId` of the id; conflict copies (see upsertPlan.ts) are not in these maps. */
  readonly byVenueId: Map<string, Slot>;
  readonly byClientId: Map<string, Slot>;
  /** Live messages by key, in first-stored order. */
  readonly slots: Map<string, Slot>;
  readonly aliases: Map<string, Alias>;
  /** Insertion sequence of the next new message (unique within the conversation). */
  nextSeq: number;
  /** Live conflict copies (messages with `conflictOf`). */
  conflicts: number;
  /** Newest message time ever written to the log (the watermark of the next record, see messageStoreRecord.ts). */
  maxTime: number;
}

export type IdKind = 'venue' | 'client';

export class MessageIndex {
  private readonly accounts = new Map<string, Map<string, ConversationState>>();
  /** Live keys and merged-away keys of the resident conversations. */
  private readonly keys = new Map<string, Slot>();
  private residentMessageCount = 0;

  conversation(accountId: string, conversationId: string): ConversationState | undefined {
    return this.accounts.get(accountId)?.get(conversationId);
  }

  /** The resident conversations, of one account or all. */
  *conversations(accountId?: string): IterableIterator<ConversationState> {
    if (accountId !== undefined) {
      yield* this.accounts.get(accountId)?.values() ?? [];
      return;
    }
    for (const conversations of this.accounts.values()) yield* conversations.values();
  }

  /** Live messages held in memory, over all resident conversations. */
  residentMessages(): number {
    return this.residentMessageCount;
  }

  /** Drops a resident conversation from memory (its log keeps everything). */
  evict(accountId: string, conversationId: string): void {
    const conversations = this.accounts.get(accountId);
    const conversation = conversations?.get(conversationId);
    if (!conversations || !conversation) return;
    for (const key of conversation.slots.keys()) this.keys.delete(key);
    for (const key of conversation.aliases.keys()) this.keys.delete(key);
    this.residentMessageCount -= conversation.slots.size;
    conversations.delete(conversationId);
    if (conversations.size === 0) this.accounts.delete(accountId);
  }

  removeAccount(accountId: string): void {
    for (const conversation of [...this.conversations(accountId)]) this.evict(accountId, conversation.conversationId);
  }

  /** The live message with `key`, or the one it was merged into, among resident conversations. */
  slotForKey(key: string): Slot | undefined {
    return this.keys.get(key);
  }

  slotForId(kind: IdKind, accountId: string, conversationId: string, id: string): Slot | undefined {
    const conversation = this.conversation(accountId, conversationId);
    return (kind === 'venue' ? conversation?.byVenueId : conversation?.byClientId)?.get(canonicalId(id));
  }

  reserveSeq(accountId: string, conversationId: string): number {
    return this.conversationOf(accountId, conversationId).nextSeq++;
  }

  /** Header, live records and merge records: what a compacted log must contain, in that order. */
  snapshot(accountId: string, conversationId: string): StoreRecord[] {
    const conversation = this.conversation(accountId, conversationId);
    const records: StoreRecord[] = [conversationHeader(accountId, conversationId)];
    if (!conversation) return records;
    records.push(...withWatermarks([...conversation.slots.values()].map((slot) => ({ s: slot.seq, m: slot.msg })), NO_WATERMARK));
    for (const [alias, a] of conversation.aliases) {
      records.push({
        alias,
        to: a.target.key,
        ...(a.venueMessageId === undefined ? {} : { v: a.venueMessageId }),
        ...(a.clientMessageId === undefined ? {} : { c: a.clientMessageId }),
      });
    }
    return records;
  }

  /** Message and merge records a compacted log holds (besides its header). */
  liveRecordCount(accountId: string, conversationId: string): number {
    const conversation = this.conversation(accountId, conversationId);
    return conversation ? conversation.slots.size + conversation.aliases.size : 0;
  }

  /**
   * Makes a conversation resident from its log records (in file order; all of this conversation,
   * the caller has set the others aside). Returns problems found. Loading a resident one is a no-op.
   */
  load(accountId: string, conversationId: string, records: readonly StoreRecord[]): string[] {
    if (this.conversation(accountId, conversationId)) return [];
    const problems: string[] = [];
    const conversation = this.conversationOf(accountId, conversationId);
    for (const record of records) {
      if (isHeaderRecord(record)) continue;
      if (isMessageRecord(record)) {
        const m = record.m;
        conversation.maxTime = Math.max(conversation.maxTime, m.time);
        const slot = conversation.slots.get(m.key);
        if (slot) {
          slot.msg = m;
        } else {
          conversation.aliases.delete(m.key);
          conversation.slots.set(m.key, { key: m.key, seq: record.s, msg: m });
          if (record.s >= conversation.nextSeq) conversation.nextSeq = record.s + 1;
        }
      } else {
        const target = conversation.slots.get(record.to) ?? conversation.aliases.get(record.to)?.target;
        if (!target || record.alias === target.key) {
          // The survivor's own line is missing (skipped as corrupt): keep the duplicate, lose nothing.
          problems.push(`merge of ${record.alias} into ${record.to}: target not found, kept both`);
          continue;
        }
        const absorbed = conversation.slots.get(record.alias);
        if (absorbed) {
          conversation.slots.delete(record.alias);
          retargetAliases(conversation, absorbed, target);
        }
        conversation.aliases.set(record.alias, aliasOf(target, record.v, record.c));
      }
    }

    for (const slot of conversation.slots.values()) {
      if (slot.msg.conflictOf !== undefined) conversation.conflicts++;
      conversation.timeline.pushUnsorted(slot);
      mapIds(conversation, slot, slot.msg);
      this.keys.set(slot.key, slot);
    }
    conversation.timeline.sort();
    for (const [key, alias] of conversation.aliases) {
      this.keys.set(key, alias.target);
      mapAliasIds(conversation, alias);
    }
    this.residentMessageCount += conversation.slots.size;
    return problems;
  }

  insert(accountId: string, key: string, seq: number, msg: ChatMessage): Slot {
    const conversation = this.conversationOf(accountId, msg.conversationId);
    const slot: Slot = { key, seq, msg };
    if (msg.conflictOf !== undefined) conversation.conflicts++;
    conversation.slots.set(key, slot);
    conversation.aliases.delete(key);
    conversation.maxTime = Math.max(conversation.maxTime, msg.time);
    this.keys.set(key, slot);
    this.residentMessageCount++;
    conversation.timeline.insert(slot);
    mapIds(conversation, slot, msg);
    return slot;
  }

  /** Replaces a slot's message. Ids are only ever added (see mergeMessage), never changed. */
  update(accountId: string, slot: Slot, msg: ChatMessage): void {
    const conversation = this.conversationOf(accountId, slot.msg.conversationId);
    conversation.maxTime = Math.max(conversation.maxTime, msg.time);
    if (slot.msg.time !== msg.time) {
      conversation.timeline.remove(slot);
      slot.msg = msg;
      conversation.timeline.insert(slot);
    } else {
      slot.msg = msg;
    }
    mapIds(conversation, slot, msg);
  }

  /**
   * Retires `key` as a duplicate of `target`. `absorbed` is its live slot if it had one (it may
   * have been created and merged within the same batch). Keys and ids that led to it lead to
   * `target` from now on, exactly as a reload of the log would rebuild them.
   */
  merge(accountId: string, key: string, absorbed: Slot | undefined, target: Slot, ids: { venueMessageId?: string; clientMessageId?: string }): void {
    const conversation = this.conversationOf(accountId, target.msg.conversationId);
    if (absorbed) {
      conversation.timeline.remove(absorbed);
      conversation.slots.delete(key);
      this.residentMessageCount--;
      const led: { readonly venueMessageId?: string; readonly clientMessageId?: string }[] = [absorbed.msg, ...[...conversation.aliases.values()].filter((a) => a.target === absorbed)];
      for (const holder of led) {
        const v = holder.venueMessageId === undefined ? undefined : canonicalId(holder.venueMessageId);
        if (v !== undefined && conversation.byVenueId.get(v) === absorbed) conversation.byVenueId.set(v, target);
        const c = holder.clientMessageId === undefined ? undefined : canonicalId(holder.clientMessageId);
        if (c !== undefined && conversation.byClientId.get(c) === absorbed) conversation.byClientId.set(c, target);
      }
      retargetAliases(conversation, absorbed, target);
      for (const [aliasKey, alias] of conversation.aliases) if (alias.target === target) this.keys.set(aliasKey, target);
    }
    const alias = aliasOf(target, ids.venueMessageId, ids.clientMessageId);
    conversation.aliases.set(key, alias);
    this.keys.set(key, target);
    mapAliasIds(conversation, alias);
  }

  /** Conflict copies stored in the resident conversations (see upsertPlan.ts). */
  conflictCount(): number {
    let total = 0;
    for (const conversation of this.conversations()) total += conversation.conflicts;
    return total;
  }

  private conversationOf(accountId: string, conversationId: string): ConversationState {
    let conversations = this.accounts.get(accountId);
    if (!conversations) this.accounts.set(accountId, (conversations = new Map()));
    let conversation = conversations.get(conversationId);
    if (!conversation) {
      conversation = {
        accountId,
        conversationId,
        timeline: new ConversationTimeline<Slot>(),
        byVenueId: new Map(),
        byClientId: new Map(),
        slots: new Map(),
        aliases: new Map(),
        nextSeq: 0,
        conflicts: 0,
        maxTime: NO_WATERMARK,
      };
      conversations.set(conversationId, conversation);
    }
    return conversation;
  }
}

function aliasOf(target: Slot, venueMessageId: string | undefined, clientMessageId: string | undefined): Alias {
  return {
    target,
    ...(venueMessageId === undefined ? {} : { venueMessageId }),
    ...(clientMessageId === undefined ? {} : { clientMessageId }),
  };
}

function retargetAliases(conversation: ConversationState, from: Slot, to: Slot): void {
  for (const alias of conversation.aliases.values()) if (alias.target === from) alias.target = to;
}

function mapIds(conversation: ConversationState, slot: Slot, msg: ChatMessage): void {
  // A conflict copy shares its venue id with the message it contradicts, which keeps the id.
  if (msg.conflictOf !== undefined) return;
  if (msg.venueMessageId !== undefined) conversation.byVenueId.set(canonicalId(msg.venueMessageId), slot);
  if (msg.clientMessageId !== undefined) conversation.byClientId.set(canonicalId(msg.clientMessageId), slot);
}

/** A merged-away message's ids lead to its survivor unless a live message carries them now. */
function mapAliasIds(conversation: ConversationState, alias: Alias): void {
  const v = alias.venueMessageId === undefined ? undefined : canonicalId(alias.venueMessageId);
  if (v !== undefined && !conversation.byVenueId.has(v)) conversation.byVenueId.set(v, alias.target);
  const c = alias.clientMessageId === undefined ? undefined : canonicalId(alias.clientMessageId);
  if (c !== undefined && !conversation.byClientId.has(c)) conversation.byClientId.set(c, alias.target);
}
