// The MEXC listen keys the chat sockets connect with (docs/venue-protocols.md, MEXC: listen keys).
// MEXC binds one socket to one conversation, allows 5 sockets per key and 60 keys per user, and a
// key lives 60 min without a keep-alive. A merchant desk runs 10-30 orders at once, so one key is
// not enough: this pool hands every conversation a slot on a key with room (packing keys, creating
// one only when every key is full, one creation at a time), keeps every key alive, and:
// - a key the venue says is gone (401 on upgrade, an "expired" close, a refused keep-alive) is
//   never handed out again; its conversations move to other keys;
// - a 429 on upgrade means the venue counts more sockets on that key than we hold (a half-open one
//   it has not noticed yet): the key takes no newcomers for a while and the conversation moves on;
// - keys the client drops (an empty surplus key, Reconnect, stop, Remove Account) are deleted at
//   the venue.
import type { ConnectionState } from '../../../shared/model';
import type { Clock } from '../../core/clock';
import { sameState } from '../../core/connection/connectionStates';
import { Emitter, type Disposable, type Event } from '../../core/event';
import type { Logger } from '../../core/logger';
import type { SecretSink } from '../descriptor';
import { VenueError, isVenueError } from '../venue';
import * as l10n from '@vscode/l10n';

/** The part of the REST client listen keys need. */
export interface ListenKeyApi {
  createListenKey(): Promise<string>;
  keepAliveListenKey(listenKey: string): Promise<void>;
  deleteListenKey(listenKey: string): Promise<void>;
}

export interface ListenKeyPoolOptions {
  readonly api: ListenKeyApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keep-alive period (default 30 min; a key lives 60 min from its last keep-alive). */
  readonly keepAliveMs?: number;
  /** How long a failed key creation is shown as back-off (the sockets retry on their own schedule). */
  readonly retryHintMs?: number;
  /** MEXC's cap of sockets per key (default 5). */
  readonly socketsPerKey?: number;
  /** MEXC's cap of live keys per user (default 60). */
  readonly maxKeys?: number;
  /** After a 429 on upgrade, how long the key takes no new sockets (default 60 s, the venue's idle timeout). */
  readonly refusedKeyRestMs?: number;
  /** Learns every key the moment it exists: keys ride in socket URLs, and logs must never show them. */
  readonly redactor?: SecretSink;
}

interface PooledKey {
  readonly key: string;
  /** Conversations holding a socket slot on this key. */
  readonly holders: Set<string>;
  /** Until then the key takes no new holders (the venue refused an upgrade on it as full). */
  restUntil: number;
}

export interface ListenKeyPoolStats {
  readonly keys: number;
  /** Socket slots held (one per open chat socket). */
  readonly slots: number;
}

export const MEXC_SOCKETS_PER_KEY = 5;
export const MEXC_MAX_LISTEN_KEYS = 60;

export class ListenKeyPool implements Disposable {
  /** Live keys in creation order. */
  private readonly keys = new Map<string, PooledKey>();
  private readonly assigned = new Map<string, PooledKey>();
  /** Conversations turned away because every key was full: told when a slot frees. */
  private readonly starved = new Set<string>();
  private creating: Promise<void> | undefined;
  /** Deletions at the venue still running (stop waits for them). */
  private readonly deleting = new Set<Promise<void>>();
  private keepAliveTimer: Disposable | undefined;
  private current: ConnectionState = { kind: 'offline' };
  private readonly lostEmitter = new Emitter<readonly string[]>();
  private readonly roomEmitter = new Emitter<readonly string[]>();
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly socketsPerKey: number;
  private readonly maxKeys: number;

  /** These conversations' key is gone: their sockets must reconnect (and will get another key). */
  readonly onKeyLost: Event<readonly string[]> = this.lostEmitter.event;
  /** A slot freed up: these conversations were turned away for lack of one and may try again now. */
  readonly onRoom: Event<readonly string[]> = this.roomEmitter.event;
  /** `offline` (nothing to report) unless creating a key failed. */
  readonly onState: Event<ConnectionState> = this.stateEmitter.event;

  constructor(private readonly options: ListenKeyPoolOptions) {
    this.socketsPerKey = options.socketsPerKey ?? MEXC_SOCKETS_PER_KEY;
    this.maxKeys = options.maxKeys ?? MEXC_MAX_LISTEN_KEYS;
  }

  get state(): ConnectionState {
    return this.current;
  }

  get stats(): ListenKeyPoolStats {
    return { keys: this.keys.size, slots: this.assigned.size };
  }

  /** Most sockets the pool can carry at once. */
  get capacity(): number {
    return this.socketsPerKey * this.maxKeys;
  }

  /**
   * Creates a key now: the credential check (a signed call that needs the P2P permission). The key
   * stays in the pool for the first sockets.
   */
  async verify(): Promise<void> {
    await this.createKey();
  }

  /**
   * The key `conversationId`'s socket connects with: the one it already holds a slot on, or a slot
   * on the fullest key with room, or on a new key. Rejects `unavailable` when all `maxKeys` keys
   * are full (the conversation cannot be watched until a socket closes).
   */
  async acquire(conversationId: string): Promise<string> {
    for (;;) {
      const held = this.assigned.get(conversationId);
      if (held) return held.key;
      const free = this.keyWithRoom();
      if (free) {
        free.holders.add(conversationId);
        this.assigned.set(conversationId, free);
        this.starved.delete(conversationId);
        return free.key;
      }
      if (!this.creating && this.keys.size >= this.maxKeys) {
        this.starved.add(conversationId);
        throw new VenueError('unavailable', l10n.t('all {0} MEXC listen keys carry {1} chat sockets each; this chat connects when another closes', this.maxKeys, this.socketsPerKey));
      }
      // One creation at a time: everyone waiting takes a slot on it, and the overflow waits for the next.
      this.creating ??= this.createKey().finally(() => {
        this.creating = undefined;
      });
      await this.creating;
    }
  }

  /** The conversation's socket closed for good: its slot is free, and a surplus empty key is deleted. */
  release(conversationId: string): void {
    this.starved.delete(conversationId);
    const entry = this.assigned.get(conversationId);
    if (!entry) return;
    this.assigned.delete(conversationId);
    entry.holders.delete(conversationId);
    if (this.starved.size > 0) {
      // The key keeps its place for them: no deletion while someone waits for a slot.
      this.roomEmitter.fire([...this.starved]);
      return;
    }
    // One key stays even when empty, so the next chat opens without a REST call first.
    if (entry.holders.size === 0 && this.keys.size > 1) {
      this.keys.delete(entry.key);
      void this.deleteAtVenue(entry.key, 'no longer needed');
    }
  }

  /** The venue says `key` is gone (401 on upgrade, an expiry close, a refused keep-alive): never used again. */
  expire(key: string, reason: string): void {
    const entry = this.keys.get(key);
    if (!entry) return;
    this.keys.delete(key);
    const holders = [...entry.holders];
    for (const id of holders) this.assigned.delete(id);
    this.options.logger.info(`listen key ${shortKey(key)} is gone (${reason}); ${holders.length} chat socket(s) move to another key`);
    if (holders.length > 0) this.lostEmitter.fire(holders);
  }

  /**
   * The venue refused an upgrade on the conversation's key as full (429): it counts a socket we no
   * longer hold. The key rests, and the conversation gets a slot elsewhere on its next try.
   */
  refused(conversationId: string): void {
    const entry = this.assigned.get(conversationId);
    if (!entry) return;
    entry.restUntil = this.options.clock.now() + (this.options.refusedKeyRestMs ?? 60_000);
    this.assigned.delete(conversationId);
    entry.holders.delete(conversationId);
    this.options.logger.info(`listen key ${shortKey(entry.key)} is full by MEXC's count; chat ${conversationId} moves to another key`);
  }

  startKeepAlive(): void {
    this.keepAliveTimer?.dispose();
    this.keepAliveTimer = this.options.clock.setInterval(() => void this.keepAlive(), this.options.keepAliveMs ?? 30 * 60_000);
  }

  /**
   * Drops every key (Reconnect): deleted at the venue, every conversation gets a fresh key on its
   * next connect. The callers reconnect their sockets.
   */
  async renewAll(): Promise<void> {
    const dropped = [...this.keys.keys()];
    this.keys.clear();
    this.assigned.clear();
    await Promise.all(dropped.map((key) => this.deleteAtVenue(key, 'renewed on reconnect')));
  }

  /** Stops the keep-alive and deletes every key at MEXC (stop, Remove Account). */
  async releaseAll(): Promise<void> {
    this.keepAliveTimer?.dispose();
    this.keepAliveTimer = undefined;
    await this.renewAll();
    await Promise.all([...this.deleting]);
    this.setState({ kind: 'offline' });
  }

  dispose(): void {
    this.keepAliveTimer?.dispose();
    this.keepAliveTimer = undefined;
    this.lostEmitter.dispose();
    this.roomEmitter.dispose();
    this.stateEmitter.dispose();
  }

  private keyWithRoom(): PooledKey | undefined {
    const now = this.options.clock.now();
    let best: PooledKey | undefined;
    for (const entry of this.keys.values()) {
      if (entry.holders.size >= this.socketsPerKey || entry.restUntil > now) continue;
      // The fullest key with room: sockets pack onto few keys, and empty ones can be deleted.
      if (!best || entry.holders.size > best.holders.size) best = entry;
    }
    return best;
  }

  private async createKey(): Promise<void> {
    let key: string;
    try {
      key = await this.options.api.createListenKey();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.setState(
        isVenueError(err) && err.kind === 'auth'
          ? { kind: 'auth-error', reason }
          : { kind: 'backoff', until: this.options.clock.now() + (this.options.retryHintMs ?? 15_000), reason: l10n.t('could not create a listen key: {0}', reason) },
      );
      throw err;
    }
    this.options.redactor?.addSecret(key);
    this.keys.set(key, { key, holders: new Set(), restUntil: 0 });
    this.options.logger.debug(`listen key ${shortKey(key)} created (${this.keys.size} in use)`);
    this.setState({ kind: 'offline' });
  }

  private async keepAlive(): Promise<void> {
    // One at a time: up to 60 keys every 30 min is nothing, but a burst would eat the rate limit.
    for (const key of [...this.keys.keys()]) {
      if (!this.keys.has(key)) continue;
      try {
        await this.options.api.keepAliveListenKey(key);
      } catch (err) {
        if (isVenueError(err) && (err.kind === 'rejected' || err.kind === 'auth')) this.expire(key, `keep-alive refused: ${err.message}`);
        else this.options.logger.warn(`listen key keep-alive failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.options.logger.debug(`${this.keys.size} listen key(s) kept alive`);
  }

  private deleteAtVenue(key: string, why: string): Promise<void> {
    const deletion = this.options.api.deleteListenKey(key).then(
      () => this.options.logger.debug(`listen key ${shortKey(key)} deleted (${why})`),
      (err: unknown) => this.options.logger.debug(`could not delete listen key ${shortKey(key)}: ${err instanceof Error ? err.message : String(err)}`),
    );
    this.deleting.add(deletion);
    return deletion.finally(() => this.deleting.delete(deletion));
  }

  private setState(next: ConnectionState): void {
    if (sameState(next, this.current)) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }
}

/** Enough of a key to tell keys apart in the log; the redactor hides whole keys anyway. */
function shortKey(key: string): string {
  return `…${key.slice(-4)}`;
}
