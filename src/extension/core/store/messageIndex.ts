// The message store's in-memory state: every live message of every account, with the maps that
// make upserts and lookups O(1) and paging O(log n + limit). Plain data, no I/O; MessageStore
// decides when it changes (only after the change is durable).
import type { ChatMessage } from '../../../shared/model';
import { canonicalId } from './canonicalId';
import { ConversationTimeline } from './conversationTimeline';
import type { StoreRecord } from './messageStoreRecord';
import { isMessageRecord } from './messageStoreRecord';

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
  readonly timeline: ConversationTimeline<Slot>;
  /** Keyed by `canonicalId` of the id; conflict copies (see upsertPlan.ts) are not in these maps. */
  readonly byVenueId: Map<string, Slot>;
  readonly byClientId: Map<string, Slot>;
}

export interface AccountState {
  readonly accountId: string;
  /** Live messages by key, in first-stored order. */
  readonly slots: Map<string, Slot>;
  readonly aliases: Map<string, Alias>;
  readonly conversations: Map<string, ConversationState>;
  nextSeq: number;
  /** Live conflict copies (messages with `conflictOf`). */
  conflicts: number;
}

export type IdKind = 'venue' | 'client';

export class MessageIndex {
  private readonly accounts = new Map<string, AccountState>();
  /** Live keys and merged-away keys of all accounts. */
  private readonly keys = new Map<string, Slot>();

  account(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  addAccount(accountId: string): AccountState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = { accountId, slots: new Map(), aliases: new Map(), conversations: new Map(), nextSeq: 0, conflicts: 0 };
      this.accounts.set(accountId, account);
    }
    return account;
  }

  removeAccount(accountId: string): void {
    const account = this.accounts.get(accountId);
    if (!account) return;
    for (const key of account.slots.keys()) this.keys.delete(key);
    for (const key of account.aliases.keys()) this.keys.delete(key);
    this.accounts.delete(accountId);
  }

  /** The live message with `key`, or the one it was merged into. */
  slotForKey(key: string): Slot | undefined {
    return this.keys.get(key);
  }

  slotForId(kind: IdKind, accountId: string, conversationId: string, id: string): Slot | undefined {
    const conversation = this.accounts.get(accountId)?.conversations.get(conversationId);
    return (kind === 'venue' ? conversation?.byVenueId : conversation?.byClientId)?.get(canonicalId(id));
  }

  conversation(accountId: string, conversationId: string): ConversationState | undefined {
    return this.accounts.get(accountId)?.conversations.get(conversationId);
  }

  reserveSeq(accountId: string): number {
    const account = this.addAccount(accountId);
    return account.nextSeq++;
  }

  /** Live records plus merge records: what a compacted log must contain. */
  snapshot(accountId: string): StoreRecord[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    const records: StoreRecord[] = [];
    for (const slot of account.slots.values()) records.push({ s: slot.seq, m: slot.msg });
    for (const [alias, a] of account.aliases) {
      records.push({
        alias,
        to: a.target.key,
        ...(a.venueMessageId === undefined ? {} : { v: a.venueMessageId }),
        ...(a.clientMessageId === undefined ? {} : { c: a.clientMessageId }),
      });
    }
    return records;
  }

  liveRecordCount(accountId: string): number {
    const account = this.accounts.get(accountId);
    return account ? account.slots.size + account.aliases.size : 0;
  }

  /**
   * Rebuilds an account from its log records (in file order). Returns problems found; records of
   * other accounts are skipped by the caller.
   */
  load(accountId: string, records: readonly StoreRecord[]): string[] {
    const problems: string[] = [];
    const account = this.addAccount(accountId);
    for (const record of records) {
      if (isMessageRecord(record)) {
        const m = record.m;
        const slot = account.slots.get(m.key);
        if (slot) {
          if (slot.msg.conversationId !== m.conversationId) {
            problems.push(`message ${m.key} appears in two conversations; kept the first`);
            continue;
          }
          slot.msg = m;
        } else {
          account.aliases.delete(m.key);
          account.slots.set(m.key, { key: m.key, seq: record.s, msg: m });
          if (record.s >= account.nextSeq) account.nextSeq = record.s + 1;
        }
      } else {
        const target = account.slots.get(record.to) ?? account.aliases.get(record.to)?.target;
        if (!target || record.alias === target.key) {
          // The survivor's own line is missing (skipped as corrupt): keep the duplicate, lose nothing.
          problems.push(`merge of ${record.alias} into ${record.to}: target not found, kept both`);
          continue;
        }
        const absorbed = account.slots.get(record.alias);
        if (absorbed) {
          account.slots.delete(record.alias);
          retargetAliases(account, absorbed, target);
        }
        account.aliases.set(record.alias, aliasOf(target, record.v, record.c));
      }
    }

    account.conflicts = 0;
    for (const slot of account.slots.values()) {
      if (slot.msg.conflictOf !== undefined) account.conflicts++;
      const conversation = conversationOf(account, slot.msg.conversationId);
      conversation.timeline.pushUnsorted(slot);
      mapIds(conversation, slot, slot.msg);
      this.keys.set(slot.key, slot);
    }
    for (const conversation of account.conversations.values()) conversation.timeline.sort();
    for (const [key, alias] of account.aliases) {
      this.keys.set(key, alias.target);
      mapAliasIds(account, alias);
    }
    return problems;
  }

  insert(accountId: string, key: string, seq: number, msg: ChatMessage): Slot {
    const account = this.addAccount(accountId);
    const slot: Slot = { key, seq, msg };
    if (msg.conflictOf !== undefined) account.conflicts++;
    account.slots.set(key, slot);
    account.aliases.delete(key);
    this.keys.set(key, slot);
    const conversation = conversationOf(account, msg.conversationId);
    conversation.timeline.insert(slot);
    mapIds(conversation, slot, msg);
    return slot;
  }

  /** Replaces a slot's message. Ids are only ever added (see mergeMessage), never changed. */
  update(accountId: string, slot: Slot, msg: ChatMessage): void {
    const account = this.addAccount(accountId);
    const conversation = conversationOf(account, slot.msg.conversationId);
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
    const account = this.addAccount(accountId);
    if (absorbed) {
      const conversation = conversationOf(account, absorbed.msg.conversationId);
      conversation.timeline.remove(absorbed);
      account.slots.delete(key);
      const led: { readonly venueMessageId?: string; readonly clientMessageId?: string }[] = [absorbed.msg, ...[...account.aliases.values()].filter((a) => a.target === absorbed)];
      for (const holder of led) {
        const v = holder.venueMessageId === undefined ? undefined : canonicalId(holder.venueMessageId);
        if (v !== undefined && conversation.byVenueId.get(v) === absorbed) conversation.byVenueId.set(v, target);
        const c = holder.clientMessageId === undefined ? undefined : canonicalId(holder.clientMessageId);
        if (c !== undefined && conversation.byClientId.get(c) === absorbed) conversation.byClientId.set(c, target);
      }
      retargetAliases(account, absorbed, target);
      for (const [aliasKey, alias] of account.aliases) if (alias.target === target) this.keys.set(aliasKey, target);
    }
    const alias = aliasOf(target, ids.venueMessageId, ids.clientMessageId);
    account.aliases.set(key, alias);
    this.keys.set(key, target);
    mapAliasIds(account, alias);
  }

  // Queries

  /** Conflict copies stored (see upsertPlan.ts), of one account or all. */
  conflictCount(accountId?: string): number {
    if (accountId !== undefined) return this.accounts.get(accountId)?.conflicts ?? 0;
    let total = 0;
    for (const account of this.accounts.values()) total += account.conflicts;
    return total;
  }

  count(accountId?: string, conversationId?: string): number {
    if (accountId === undefined) {
      let total = 0;
      for (const account of this.accounts.values()) total += account.slots.size;
      return total;
    }
    const account = this.accounts.get(accountId);
    if (!account) return 0;
    if (conversationId === undefined) return account.slots.size;
    return account.conversations.get(conversationId)?.timeline.size ?? 0;
  }

  conversationIds(accountId: string): string[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    return [...account.conversations].filter(([, c]) => c.timeline.size > 0).map(([id]) => id);
  }
}

function conversationOf(account: AccountState, conversationId: string): ConversationState {
  let conversation = account.conversations.get(conversationId);
  if (!conversation) {
    conversation = { timeline: new ConversationTimeline<Slot>(), byVenueId: new Map(), byClientId: new Map() };
    account.conversations.set(conversationId, conversation);
  }
  return conversation;
}

function aliasOf(target: Slot, venueMessageId: string | undefined, clientMessageId: string | undefined): Alias {
  return {
    target,
    ...(venueMessageId === undefined ? {} : { venueMessageId }),
    ...(clientMessageId === undefined ? {} : { clientMessageId }),
  };
}

function retargetAliases(account: AccountState, from: Slot, to: Slot): void {
  for (const alias of account.aliases.values()) if (alias.target === from) alias.target = to;
}

function mapIds(conversation: ConversationState, slot: Slot, msg: ChatMessage): void {
  // A conflict copy shares its venue id with the message it contradicts, which keeps the id.
  if (msg.conflictOf !== undefined) return;
  if (msg.venueMessageId !== undefined) conversation.byVenueId.set(canonicalId(msg.venueMessageId), slot);
  if (msg.clientMessageId !== undefined) conversation.byClientId.set(canonicalId(msg.clientMessageId), slot);
}

/** A merged-away message's ids lead to its survivor unless a live message carries them now. */
function mapAliasIds(account: AccountState, alias: Alias): void {
  const conversation = conversationOf(account, alias.target.msg.conversationId);
  const v = alias.venueMessageId === undefined ? undefined : canonicalId(alias.venueMessageId);
  if (v !== undefined && !conversation.byVenueId.has(v)) conversation.byVenueId.set(v, alias.target);
  const c = alias.clientMessageId === undefined ? undefined : canonicalId(alias.clientMessageId);
  if (c !== undefined && !conversation.byClientId.has(c)) conversation.byClientId.set(c, alias.target);
}
