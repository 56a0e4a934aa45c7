// listenKey lifecycle of the MEXC user-data stream, as the spot rules describe it: a key lives
// `ttlMs` (60 min) from creation or from its last PUT, at most `maxPerAccount` (60) live keys per
// account. Time comes from the injected clock so tests can jump past the expiry.
import { randomBytes } from 'node:crypto';

export interface ListenKeyEntry {
  readonly key: string;
  readonly accountUserId: string;
  readonly createdAt: number;
  expiresAt: number;
}

export type InvalidationReason = 'expired' | 'deleted';

export class ListenKeyRegistry {
  private readonly keys = new Map<string, ListenKeyEntry>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly maxPerAccount: number,
    /** Called once per key that stops being valid, so its sockets can be closed. */
    private readonly onInvalidated: (entry: ListenKeyEntry, reason: InvalidationReason) => void,
  ) {}

  /** undefined when the account already holds the maximum number of live keys. */
  create(accountUserId: string, now: number): ListenKeyEntry | undefined {
    this.sweep(now);
    if (this.liveOf(accountUserId, now).length >= this.maxPerAccount) return undefined;
    // Random, not seeded: a key from before a reset must never become valid again.
    const entry: ListenKeyEntry = { key: randomBytes(32).toString('hex'), accountUserId, createdAt: now, expiresAt: now + this.ttlMs() };
    this.keys.set(entry.key, entry);
    return entry;
  }

  liveOf(accountUserId: string, now: number): ListenKeyEntry[] {
    return [...this.keys.values()].filter((e) => e.accountUserId === accountUserId && e.expiresAt > now);
  }

  /** A live key, or undefined if unknown, deleted or expired. */
  lookup(key: string, now: number): ListenKeyEntry | undefined {
    const entry = this.keys.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.invalidate(entry, 'expired');
      return undefined;
    }
    return entry;
  }

  /** PUT: extend to now + TTL. Only the owner may extend; false means "does not exist". */
  extend(key: string, accountUserId: string, now: number): boolean {
    const entry = this.lookup(key, now);
    if (!entry || entry.accountUserId !== accountUserId) return false;
    entry.expiresAt = now + this.ttlMs();
    return true;
  }

  delete(key: string, accountUserId: string, now: number): boolean {
    const entry = this.lookup(key, now);
    if (!entry || entry.accountUserId !== accountUserId) return false;
    this.invalidate(entry, 'deleted');
    return true;
  }

  /** Fault switch: every key expires now. */
  expireAll(): void {
    for (const entry of [...this.keys.values()]) this.invalidate(entry, 'expired');
  }

  /** Drops keys whose time is up; returns how many expired. */
  sweep(now: number): number {
    let expired = 0;
    for (const entry of [...this.keys.values()]) {
      if (entry.expiresAt <= now) {
        this.invalidate(entry, 'expired');
        expired++;
      }
    }
    return expired;
  }

  all(): ListenKeyEntry[] {
    return [...this.keys.values()];
  }

  clear(): void {
    this.keys.clear();
  }

  private invalidate(entry: ListenKeyEntry, reason: InvalidationReason): void {
    if (!this.keys.delete(entry.key)) return;
    this.onInvalidated(entry, reason);
  }
}
