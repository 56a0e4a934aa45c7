// What the soak sent and what it saw arrive, per venue, and the verdict drawn from it: the venue's
// own record of our messages and the desk's store (read after an orderly quit) against what was
// composed and what the counterparty said.

/** One of our messages, from the moment it was first handed to the desk. */
interface Outbound {
  readonly id: string;
  readonly venue: string;
  readonly conversationId: string;
  readonly text: string;
  /** When the desk answered that it is queued on disk (the first time, across re-sends). */
  acceptedAt?: number;
  /** The outbox's compose time, and the order the desk accepted it in: the order the venue must keep. */
  composedAt?: number;
  acceptedSeq?: number;
  /** Its place among the conversation's accepted messages (set by `verdict`). */
  acceptedIndex?: number;
  seenAtVenueAt?: number;
}

interface Inbound {
  readonly venue: string;
  readonly conversationId: string;
  readonly index: number;
  readonly saidAt: number;
  storedAt?: number;
}

export interface VenueVerdict {
  readonly venue: string;
  readonly sent: number;
  readonly receivedByVenue: number;
  readonly said: number;
  readonly receivedByUs: number;
  readonly lost: number;
  /** The counterparty's messages no client could have had (venues without history: said while no socket of ours was live, or just before a kill). */
  readonly missed: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly unhandled: number;
  readonly errorsLogged: number;
  readonly worstCatchUpMs: number;
  readonly faults: number;
  readonly refusedAtCompose: number;
  /** Our messages the product marked failed, asking the user (the soak then presses Retry). */
  readonly askedUser: number;
  /** Up to a few examples of what went wrong, for the report. */
  readonly problems: readonly string[];
}

/** When the desk could not keep what reached it: kills, and the full disk. */
export interface Outages {
  readonly kills: readonly number[];
  readonly fullDisk?: { readonly from: number; readonly to: number };
}

/** Venues without history: whether the venue pushed a message to us, and when the desk could not keep it. */
export interface NoHistory {
  readonly pushedToClient: ReadonlyMap<string, (text: string) => boolean>;
  readonly outages: Outages;
}

/** A message pushed this long before a kill may not have been written yet. */
const UNWRITTEN_BEFORE_KILL_MS = 2_000;

export interface StoredRow {
  readonly direction: string;
  readonly text: string;
}

const MAX_PROBLEMS = 12;

export class Ledger {
  private readonly outbound = new Map<string, Outbound>();
  private readonly outboundByText = new Map<string, Outbound>();
  private readonly inbound = new Map<string, Inbound>();
  private acceptedTotal = 0;
  private readonly asked = new Map<string, Set<string>>();
  private readonly saidCount = new Map<string, number>();
  readonly faultCount = new Map<string, number>();
  /** Messages refused at compose at least once (a full disk), per venue. */
  private readonly refused = new Map<string, Set<string>>();

  compose(id: string, venue: string, conversationId: string, text: string): void {
    if (this.outbound.has(id)) return;
    const o: Outbound = { id, venue, conversationId, text };
    this.outbound.set(id, o);
    this.outboundByText.set(text, o);
  }

  accepted(id: string, now: number, composedAt: number): void {
    const o = this.outbound.get(id);
    if (!o || o.acceptedAt !== undefined) return;
    o.acceptedAt = now;
    o.composedAt = composedAt;
    o.acceptedSeq = this.acceptedTotal++;
  }

  /** Where and what a message is (for the user who checks the chat before pressing Retry). */
  outboundOf(id: string): { readonly venue: string; readonly conversationId: string; readonly text: string } | undefined {
    return this.outbound.get(id);
  }

  /** Messages the user was asked about that have not reached the venue yet. */
  awaitingRetry(): string[] {
    const ids: string[] = [];
    for (const set of this.asked.values()) for (const id of set) if (this.outbound.get(id)?.seenAtVenueAt === undefined) ids.push(id);
    return ids;
  }

  /** The product gave up on the message and asked the user, who presses Retry. */
  askedUser(id: string): void {
    const o = this.outbound.get(id);
    if (!o) return;
    const ids = this.asked.get(o.venue) ?? new Set<string>();
    this.asked.set(o.venue, ids.add(id));
  }

  refusedAtCompose(id: string): void {
    const o = this.outbound.get(id);
    if (!o) return;
    const ids = this.refused.get(o.venue) ?? new Set<string>();
    this.refused.set(o.venue, ids.add(id));
  }

  isAccepted(id: string): boolean {
    return this.outbound.get(id)?.acceptedAt !== undefined;
  }

  said(venue: string, conversationId: string, text: string, now: number): void {
    const key = `${venue} ${conversationId}`;
    const index = this.saidCount.get(key) ?? 0;
    this.saidCount.set(key, index + 1);
    this.inbound.set(text, { venue, conversationId, index, saidAt: now });
  }

  stored(texts: readonly string[], now: number): void {
    for (const text of texts) {
      const i = this.inbound.get(text);
      if (i && i.storedAt === undefined) i.storedAt = now;
    }
  }

  /** The venue holds these texts of ours now. */
  seenAtVenue(texts: readonly string[], now: number): void {
    for (const text of texts) {
      const o = this.outboundByText.get(text);
      if (o && o.seenAtVenueAt === undefined) o.seenAtVenueAt = now;
    }
  }

  fault(venue: string): void {
    this.faultCount.set(venue, (this.faultCount.get(venue) ?? 0) + 1);
  }

  /** Whether everything accepted has reached the venue and everything said has been stored (as the desk reported it). */
  /** The counterparty's messages not yet reported stored that could still arrive (a venue without history cannot bring back what never reached us). */
  unreported(noHistory: NoHistory): { venue: string; conversationId: string; text: string }[] {
    const out: { venue: string; conversationId: string; text: string }[] = [];
    for (const [text, i] of this.inbound) {
      if (i.storedAt !== undefined) continue;
      const pushed = noHistory.pushedToClient.get(i.venue);
      if (pushed && unreachable(text, i.saidAt, pushed, noHistory.outages)) continue;
      out.push({ venue: i.venue, conversationId: i.conversationId, text });
    }
    return out;
  }

  /** What is still on its way: ours not yet at the venue, theirs not yet stored (that could still arrive). */
  caughtUp(noHistory: NoHistory): { outbound: number; inbound: number } {
    let outbound = 0;
    for (const o of this.outbound.values()) if (o.acceptedAt !== undefined && o.seenAtVenueAt === undefined) outbound++;
    return { outbound, inbound: this.unreported(noHistory).length };
  }

  /** The verdict for one venue, from the venue's record of our messages and the store's rows, per conversation. */
  verdict(
    venue: string,
    atVenue: ReadonlyMap<string, readonly string[]>,
    storedRows: ReadonlyMap<string, readonly StoredRow[]>,
    counts: { readonly unhandled: number; readonly errorsLogged: number },
    noHistory?: { readonly pushedToClient: (text: string) => boolean; readonly outages: Outages },
  ): VenueVerdict {
    const found: { rank: number; text: string }[] = [];
    const problem = (text: string) => void found.push({ rank: /never|wrong/.test(text) ? 0 : /times/.test(text) ? 1 : 2, text });
    const outbound = [...this.outbound.values()].filter((o) => o.venue === venue);
    const accepted = outbound.filter((o) => o.acceptedAt !== undefined);
    // Compose order per conversation: the outbox's compose time, then the order it accepted them.
    const byConversation = new Map<string, Outbound[]>();
    for (const o of accepted) byConversation.set(o.conversationId, [...(byConversation.get(o.conversationId) ?? []), o]);
    for (const list of byConversation.values()) {
      list.sort((a, b) => a.composedAt! - b.composedAt! || a.acceptedSeq! - b.acceptedSeq!);
      list.forEach((o, i) => (o.acceptedIndex = i));
    }
    const inbound = [...this.inbound.entries()].filter(([, i]) => i.venue === venue);
    let lost = 0;
    let missed = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    let receivedByVenue = 0;
    let receivedByUs = 0;

    // Our messages at the venue: each accepted one exactly once, in the order it was accepted.
    for (const [conversationId, texts] of atVenue) {
      const counts = countTexts(texts);
      let last = -1;
      for (const [text, n] of counts) {
        const o = this.outboundByText.get(text);
        if (!o || o.venue !== venue) continue;
        receivedByVenue++;
        if (n > 1) {
          duplicated += n - 1;
          problem(`"${text}" reached the venue ${n} times`);
        }
        if (o.acceptedAt === undefined) problem(`"${text}" reached the venue but was never accepted`);
      }
      const seen = new Set<string>();
      for (const text of texts) {
        const o = this.outboundByText.get(text);
        if (!o || o.acceptedIndex === undefined || seen.has(text)) continue;
        seen.add(text);
        if (o.conversationId !== conversationId) problem(`"${text}" reached the wrong conversation`);
        // A message the user sent again with Retry is composed anew: it may follow later ones.
        if (o.acceptedIndex < last && !this.asked.get(venue)?.has(o.id)) {
          outOfOrder++;
          problem(`"${text}" reached the venue after a message composed later`);
        }
        last = Math.max(last, o.acceptedIndex);
      }
    }
    for (const o of accepted) {
      const texts = atVenue.get(o.conversationId) ?? [];
      if (!texts.includes(o.text)) {
        lost++;
        problem(`"${o.text}" (ours) never reached the venue`);
      }
    }

    // The counterparty's messages in our store: each exactly once, in the order they were said.
    for (const [conversationId, rows] of storedRows) {
      const ins = rows.filter((r) => r.direction === 'in').map((r) => r.text);
      const counts = countTexts(ins);
      for (const [text, n] of counts) {
        const i = this.inbound.get(text);
        if (!i || i.venue !== venue) continue;
        receivedByUs++;
        if (n > 1) {
          duplicated += n - 1;
          problem(`"${text}" is stored ${n} times`);
        }
      }
      const outs = countTexts(rows.filter((r) => r.direction === 'out').map((r) => r.text));
      for (const [text, n] of outs) if (n > 1 && this.outboundByText.has(text)) {
        duplicated += n - 1;
        problem(`our "${text}" is stored ${n} times`);
      }
      let last = -1;
      const seen = new Set<string>();
      for (const text of ins) {
        const i = this.inbound.get(text);
        if (!i || seen.has(text)) continue;
        seen.add(text);
        if (i.conversationId !== conversationId) problem(`"${text}" is stored in the wrong conversation`);
        if (i.index < last) {
          outOfOrder++;
          problem(`"${text}" is stored after a message said later`);
        }
        last = Math.max(last, i.index);
      }
    }
    for (const [text, i] of inbound) {
      const rows = storedRows.get(i.conversationId) ?? [];
      if (rows.some((r) => r.direction === 'in' && r.text === text)) continue;
      if (noHistory && unreachable(text, i.saidAt, noHistory.pushedToClient, noHistory.outages)) missed++;
      else {
        lost++;
        problem(`"${text}" (theirs) was never stored`);
      }
    }

    const problems = found.sort((a, b) => a.rank - b.rank).slice(0, MAX_PROBLEMS).map((p) => p.text);
    const delays = [...accepted.map((o) => (o.seenAtVenueAt ?? Number.NaN) - o.acceptedAt!), ...inbound.map(([, i]) => (i.storedAt ?? Number.NaN) - i.saidAt)].filter((d) => Number.isFinite(d));
    return {
      venue,
      sent: accepted.length,
      receivedByVenue,
      said: inbound.length,
      receivedByUs,
      lost,
      missed,
      duplicated,
      outOfOrder,
      unhandled: counts.unhandled,
      errorsLogged: counts.errorsLogged,
      worstCatchUpMs: delays.length ? Math.max(...delays) : 0,
      faults: this.faultCount.get(venue) ?? 0,
      refusedAtCompose: this.refused.get(venue)?.size ?? 0,
      askedUser: this.asked.get(venue)?.size ?? 0,
      problems,
    };
  }
}

/**
 * Whether a venue without history could have delivered the message to a client that keeps it: not
 * if it was pushed to no socket of ours, nor if the desk was killed soon after the push or while
 * the disk was full since it (messages waiting for the disk are held in memory).
 */
function unreachable(text: string, saidAt: number, pushedToClient: (text: string) => boolean, outages: Outages): boolean {
  if (!pushedToClient(text)) return true;
  return outages.kills.some((k) => k >= saidAt && (k - saidAt <= UNWRITTEN_BEFORE_KILL_MS || (outages.fullDisk !== undefined && outages.fullDisk.to >= saidAt && outages.fullDisk.from <= k)));
}

function countTexts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
