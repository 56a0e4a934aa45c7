// Works out what one upsert batch changes, without touching the store, so that the store can write
// the result durably first and apply it only if the write succeeded. Messages in a batch see the
// effect of the ones before them (a pending record and its echo in one batch become one message).
import type { ChatMessage } from '../../../shared/model';
import type { IdKind, MessageIndex, Slot } from './messageIndex';
import { conflictingIds, mergeMessage, sameValue, type MergeOptions } from './messageMerge';
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
}

export interface PlanCommit {
  readonly changed: ChatMessage[];
  readonly merged: MergedDuplicate[];
}

export class UpsertPlan {
  private readonly work = new Map<Slot, WorkSlot>();
  private readonly keys = new Map<string, WorkSlot>();
  /** Id mappings added in this batch (ids are only ever added, never changed). */
  private readonly ids = new Map<string, WorkSlot>();
  private readonly touched: WorkSlot[] = [];
  private readonly touchedSet = new Set<WorkSlot>();
  /** Incoming ids that contradicted stored ones (kept the stored); for the log. */
  readonly warnings: string[] = [];

  constructor(private readonly index: MessageIndex) {}

  /** Applies one incoming message to the plan. Throws if its key belongs to another conversation. */
  observe(m: ChatMessage, options: MergeOptions = {}): void {
    const candidates: WorkSlot[] = [];
    const add = (w: WorkSlot | undefined): void => {
      if (w && !candidates.includes(w)) candidates.push(w);
    };
    const byKey = this.lookupKey(m.key);
    if (byKey && (byKey.accountId !== m.accountId || byKey.conversationId !== m.conversationId)) {
      throw new Error(`message key ${m.key} already belongs to another account or conversation`);
    }
    add(byKey);
    if (m.venueMessageId !== undefined) add(this.lookupId('venue', m.accountId, m.conversationId, m.venueMessageId));
    if (m.clientMessageId !== undefined) add(this.lookupId('client', m.accountId, m.conversationId, m.clientMessageId));

    if (candidates.length === 0) {
      const w: WorkSlot = {
        accountId: m.accountId,
        conversationId: m.conversationId,
        key: m.key,
        seq: this.index.reserveSeq(m.accountId),
        committed: undefined,
        msg: m,
        into: undefined,
      };
      this.keys.set(m.key, w);
      this.mapIds(w, undefined, m);
      this.touch(w);
      return;
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
  }

  /** Log lines for one account: changed messages first, then merges (which refer to them). */
  records(accountId: string): StoreRecord[] {
    const messages: StoreRecord[] = [];
    const merges: StoreRecord[] = [];
    for (const w of this.touched) {
      if (w.accountId !== accountId) continue;
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

  accountIds(): string[] {
    return [...new Set(this.touched.map((w) => w.accountId))];
  }

  /** Applies the plan for one account to the index (after its records are durable). */
  commit(accountId: string): PlanCommit {
    const changed: ChatMessage[] = [];
    const merged: MergedDuplicate[] = [];
    const slots = new Map<WorkSlot, Slot>();
    for (const w of this.touched) {
      if (w.accountId !== accountId || w.into) continue;
      if (!w.committed) {
        slots.set(w, this.index.insert(accountId, w.key, w.seq, w.msg));
        changed.push(w.msg);
      } else {
        slots.set(w, w.committed);
        if (isChanged(w)) {
          this.index.update(accountId, w.committed, w.msg);
          changed.push(w.msg);
        }
      }
    }
    for (const w of this.touched) {
      if (w.accountId !== accountId || !w.into) continue;
      const survivor = live(w);
      const target = slots.get(survivor) ?? survivor.committed;
      if (!target) continue; // unreachable: a survivor is always committed above
      this.index.merge(accountId, w.key, w.committed, target, {
        ...(w.msg.venueMessageId === undefined ? {} : { venueMessageId: w.msg.venueMessageId }),
        ...(w.msg.clientMessageId === undefined ? {} : { clientMessageId: w.msg.clientMessageId }),
      });
      if (w.committed) merged.push({ accountId, conversationId: w.conversationId, key: w.key, into: target.key });
    }
    return { changed, merged };
  }

  private touch(w: WorkSlot): void {
    if (!this.touchedSet.has(w)) {
      this.touchedSet.add(w);
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
    const scoped = idKey(kind, accountId, conversationId, id);
    const w = this.ids.get(scoped);
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
    if (next.venueMessageId !== undefined && next.venueMessageId !== old?.venueMessageId) {
      this.ids.set(idKey('venue', w.accountId, w.conversationId, next.venueMessageId), w);
    }
    if (next.clientMessageId !== undefined && next.clientMessageId !== old?.clientMessageId) {
      this.ids.set(idKey('client', w.accountId, w.conversationId, next.clientMessageId), w);
    }
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

function idKey(kind: IdKind, accountId: string, conversationId: string, id: string): string {
  // JSON keeps the parts apart whatever characters the ids contain.
  return JSON.stringify([kind, accountId, conversationId, id]);
}
