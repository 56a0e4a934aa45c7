// Works out what one upsert batch changes, without touching the store, so that the store can write
// the result durably first and apply it only if the write succeeded. Messages in a batch see the
// effect of the ones before them (a pending record and its echo in one batch become one message).
//
// A message that repeats a stored one's identity (key, venue id or client id) with content that
// cannot be the same message (see `contentConflict`) is not merged: it is stored beside it as a
// conflict copy, keyed `<its key>:conflict:<content hash>` and marked `conflictOf`, so neither
// version is lost and an incoming message never turns into an outgoing one. A redelivery of the
// same conflicting content lands on the same copy. Copies are found by key only, never by id.
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../../../shared/model';
import { canonicalId } from './canonicalId';
import type { IdKind, MessageIndex, Slot } from './messageIndex';
import { conflictingIds, contentConflict, mergeMessage, sameValue, type MergeOptions } from './messageMerge';
import type { StoreRecord } from './messageStoreRecord';

/** A message removed because it was a duplicate of another one (its key now leads to `into`). */
export interface MergedDuplicate {
  readonly accountId: string;
  readonly conversationId: string;
  /** Key of the removed message. */
  readonly key: string;
  /** Key of the message it was merged into. */
  readonly into: string;
}

interface WorkSlot {
  readonly accountId: string;
  readonly conversationId: string;
  readonly key: string;
  readonly seq: number;
  /** The stored slot this works on; absent for a message new in this batch. */
  readonly committed: Slot | undefined;
  msg: ChatMessage;
  /** Set when this message turned out to be a duplicate of another. */
  into: WorkSlot | undefined;
  // Per-slot flags rather than sets beside the plan: a burst of thousands of new messages would
  // otherwise pay several hash-set operations each.
  /** In `touched`. */
  touched: boolean;
  /** Its change has been committed to the index (`slot` is where). */
  applied: boolean;
  /** The index slot after commit: `committed`, or the one inserted for a new message. */
  slot: Slot | undefined;
  /** The `resultFor` call that last reported it (each is reported once per call). */
  reportedBy: number;
}

/** A message stored as a conflict copy instead of being merged. */
export interface StoredConflict {
  readonly accountId: string;
  /** Key of the copy. */
  readonly key: string;
  /** Key of the stored message it contradicts. */
  readonly conflictOf: string;
  /** What differs: direction, kind, text, payload or attachments. */
  readonly reason: string;
}

/** One conversation's ids mapped in a batch, by kind and canonical id. */
type ConversationIds = { readonly [K in IdKind]: Map<string, WorkSlot> };

/** Where an observed message ended up; `UpsertPlan.resultFor` turns these into results. */
export interface PlanTouch {
  readonly key: string;
}

export class UpsertPlan {
  private readonly work = new Map<Slot, WorkSlot>();
  private readonly keys = new Map<string, WorkSlot>();
  /**
   * Id mappings added in this batch (ids are only ever added, never changed), by account, then
   * conversation, then canonical id: nested maps, not a composite string key built per lookup.
   */
  private readonly ids = new Map<string, Map<string, ConversationIds>>();
  private readonly touched: WorkSlot[] = [];
  private results = 0;
  /** Incoming ids that contradicted stored ones (kept the stored), and conflicts; for the log. */
  readonly warnings: string[] = [];
  readonly conflicts: StoredConflict[] = [];

  constructor(private readonly index: MessageIndex) {}

  /**
   * Applies one incoming message to the plan and returns where it landed. Throws, before changing
   * anything, if its key belongs to another conversation.
   */
  observe(m: ChatMessage, options: MergeOptions = {}): PlanTouch {
    const byKey = this.lookupKey(m.key);
    if (byKey && (byKey.accountId !== m.accountId || byKey.conversationId !== m.conversationId)) {
      throw new Error(`message key ${m.key} already belongs to another account or conversation`);
    }
    // A conflict copy is its own message: reached by its key alone, never merged by id.
    if (m.conflictOf !== undefined || byKey?.msg.conflictOf !== undefined) {
      if (byKey) return this.update(byKey, m, options);
      return this.create(m);
    }

    const byVenueId = m.venueMessageId === undefined ? undefined : this.lookupId('venue', m.accountId, m.conversationId, m.venueMessageId);
    const byClientId = m.clientMessageId === undefined ? undefined : this.lookupId('client', m.accountId, m.conversationId, m.clientMessageId);
    // The usual case, a message never seen before: nothing to compare or merge.
    if (!byKey && !byVenueId && !byClientId) return this.create(m);
    const candidates: WorkSlot[] = [];
    for (const w of [byKey, byVenueId, byClientId]) if (w && !candidates.includes(w)) candidates.push(w);

    for (const candidate of candidates) {
      const reason = contentConflict(candidate.msg, m);
      if (reason !== undefined) return this.storeConflict(candidate, m, reason, options);
    }

    // Several records turn out to be one message (e.g. the venue's echo was stored before the send
    // receipt told us its venue id): the first stored keeps its key and place, the others merge in.
    candidates.sort((a, b) => a.seq - b.seq);
    const [survivor, ...duplicates] = candidates as [WorkSlot, ...WorkSlot[]];
    let msg = survivor.msg;
    for (const duplicate of duplicates) {
      msg = mergeMessage(msg, duplicate.msg);
      duplicate.into = survivor;
      this.touch(duplicate);
    }
    const conflicts = conflictingIds(msg, m);
    if (conflicts.length > 0) this.warnings.push(`message ${survivor.key}: kept the stored ${conflicts.join(' and ')}, ignored a different incoming one`);
    this.setMessage(survivor, mergeMessage(msg, m, options));
    return survivor;
  }

  /** Log lines for one conversation: changed messages first, then merges (which refer to them). */
  records(accountId: string, conversationId: string): StoreRecord[] {
    const messages: StoreRecord[] = [];
    const merges: StoreRecord[] = [];
    for (const w of this.touched) {
      if (w.accountId !== accountId || w.conversationId !== conversationId) continue;
      if (w.into) {
        merges.push({
          alias: w.key,
          to: live(w).key,
          ...(w.msg.venueMessageId === undefined ? {} : { v: w.msg.venueMessageId }),
          ...(w.msg.clientMessageId === undefined ? {} : { c: w.msg.clientMessageId }),
        });
      } else if (isChanged(w)) {
        messages.push({ s: w.seq, m: w.msg });
      }
    }
    return [...messages, ...merges];
  }

  /** The conversations the plan touches, each once, as [accountId, conversationId]. */
  conversations(): [string, string][] {
    const seen = new Map<string, Set<string>>();
    const pairs: [string, string][] = [];
    for (const w of this.touched) {
      let conversations = seen.get(w.accountId);
      if (!conversations) seen.set(w.accountId, (conversations = new Set()));
      if (conversations.has(w.conversationId)) continue;
      conversations.add(w.conversationId);
      pairs.push([w.accountId, w.conversationId]);
    }
    return pairs;
  }

  /**
   * Applies the plan for one conversation to the index (after its records are durable) and returns
   * the stored messages that were found to be duplicates and merged away.
   */
  commit(accountId: string, conversationId: string): MergedDuplicate[] {
    const merged: MergedDuplicate[] = [];
    let merges = false;
    for (const w of this.touched) {
      if (w.accountId !== accountId || w.conversationId !== conversationId) continue;
      if (w.into) {
        merges = true;
      } else if (!w.committed) {
        w.slot = this.index.insert(accountId, w.key, w.seq, w.msg);
        w.applied = true;
      } else {
        w.slot = w.committed;
        if (isChanged(w)) {
          this.index.update(accountId, w.committed, w.msg);
          w.applied = true;
        }
      }
    }
    if (!merges) return merged;
    for (const w of this.touched) {
      if (w.accountId !== accountId || w.conversationId !== conversationId || !w.into) continue;
      const survivor = live(w);
      const target = survivor.slot ?? survivor.committed;
      if (!target) continue; // unreachable: a survivor is always committed above
      this.index.merge(accountId, w.key, w.committed, target, {
        ...(w.msg.venueMessageId === undefined ? {} : { venueMessageId: w.msg.venueMessageId }),
        ...(w.msg.clientMessageId === undefined ? {} : { clientMessageId: w.msg.clientMessageId }),
      });
      if (w.committed) merged.push({ accountId, conversationId: w.conversationId, key: w.key, into: target.key });
    }
    return merged;
  }

  /**
   * The committed messages that `touches` (results of `observe`) changed, each once, in the order
   * first touched, in their final state; and the keys of those that were new to the store (not a
   * stored message updated or merged into). Messages of accounts not committed are left out.
   */
  resultFor(touches: readonly PlanTouch[]): { changed: ChatMessage[]; added: Set<string> } {
    const call = ++this.results;
    const changed: ChatMessage[] = [];
    const added = new Set<string>();
    for (const touch of touches) {
      const w = live(touch as WorkSlot);
      if (w.reportedBy === call || !w.applied) continue;
      w.reportedBy = call;
      changed.push(w.msg);
      if (!w.committed) added.add(w.key);
    }
    return { changed, added };
  }

  private create(m: ChatMessage): WorkSlot {
    const w: WorkSlot = {
      accountId: m.accountId,
      conversationId: m.conversationId,
      key: m.key,
      seq: this.index.reserveSeq(m.accountId, m.conversationId),
      committed: undefined,
      msg: m,
      into: undefined,
      touched: false,
      applied: false,
      slot: undefined,
      reportedBy: 0,
    };
    this.keys.set(m.key, w);
    this.mapIds(w, undefined, m);
    this.touch(w);
    return w;
  }

  private update(w: WorkSlot, m: ChatMessage, options: MergeOptions): WorkSlot {
    this.setMessage(w, mergeMessage(w.msg, m, options));
    return w;
  }

  /** Keeps `m` beside `stored` as a conflict copy (or updates the copy a redelivery already made). */
  private storeConflict(stored: WorkSlot, m: ChatMessage, reason: string, options: MergeOptions): WorkSlot {
    const key = `${m.key}:conflict:${contentHash(m)}`;
    const existing = this.lookupKey(key);
    if (existing) return this.update(existing, m, options);
    const copy: ChatMessage = { ...m, key, conflictOf: stored.key };
    this.conflicts.push({ accountId: m.accountId, key, conflictOf: stored.key, reason });
    this.warnings.push(`message ${stored.key}: the venue repeated its id with a different ${reason}; kept both (the new one as ${key})`);
    return this.create(copy);
  }

  private touch(w: WorkSlot): void {
    if (!w.touched) {
      w.touched = true;
      this.touched.push(w);
    }
  }

  private wrap(slot: Slot): WorkSlot {
    let w = this.work.get(slot);
    if (!w) {
      w = {
        accountId: slot.msg.accountId,
        conversationId: slot.msg.conversationId,
        key: slot.key,
        seq: slot.seq,
        committed: slot,
        msg: slot.msg,
        into: undefined,
        touched: false,
        applied: false,
        slot: undefined,
        reportedBy: 0,
      };
      this.work.set(slot, w);
    }
    return w;
  }

  private lookupKey(key: string): WorkSlot | undefined {
    const w = this.keys.get(key);
    if (w) return live(w);
    const slot = this.index.slotForKey(key);
    return slot ? live(this.wrap(slot)) : undefined;
  }

  private lookupId(kind: IdKind, accountId: string, conversationId: string, id: string): WorkSlot | undefined {
    const w = this.ids.get(accountId)?.get(conversationId)?.[kind].get(canonicalId(id));
    if (w) return live(w);
    const slot = this.index.slotForId(kind, accountId, conversationId, id);
    return slot ? live(this.wrap(slot)) : undefined;
  }

  private setMessage(w: WorkSlot, msg: ChatMessage): void {
    this.mapIds(w, w.msg, msg);
    w.msg = msg;
    this.touch(w);
  }

  /** Keeps the batch's id view equal to what the index will hold after commit. */
  private mapIds(w: WorkSlot, old: ChatMessage | undefined, next: ChatMessage): void {
    if (next.conflictOf !== undefined) return;
    if (next.venueMessageId !== undefined && next.venueMessageId !== old?.venueMessageId) {
      this.idsOf(w).venue.set(canonicalId(next.venueMessageId), w);
    }
    if (next.clientMessageId !== undefined && next.clientMessageId !== old?.clientMessageId) {
      this.idsOf(w).client.set(canonicalId(next.clientMessageId), w);
    }
  }

  private idsOf(w: WorkSlot): ConversationIds {
    let conversations = this.ids.get(w.accountId);
    if (!conversations) this.ids.set(w.accountId, (conversations = new Map()));
    let ids = conversations.get(w.conversationId);
    if (!ids) conversations.set(w.conversationId, (ids = { venue: new Map(), client: new Map() }));
    return ids;
  }
}

function live(w: WorkSlot): WorkSlot {
  let current = w;
  while (current.into) current = current.into;
  return current;
}

function isChanged(w: WorkSlot): boolean {
  return !w.committed || !sameValue(w.msg, w.committed.msg);
}


/**
 * Identifies conflicting content: the fields `contentConflict` compares. Attachment links are left
 * out (a venue may re-sign them), so a redelivery with fresh links lands on the same copy.
 */
function contentHash(m: ChatMessage): string {
  const attachments = m.attachments?.map((a) => [a.kind, a.ref ?? null]) ?? null;
  const content = JSON.stringify([m.direction, m.kind, m.text ?? null, m.payload ?? null, attachments]);
  return createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 16);
}
