// The per-account state store adapters may write (descriptor.ts AccountStateStore): a few small
// JSON values per account (a chat API mode learned from the venue, a cursor), kept in VS Code's
// global state under one key per account. Never secrets: a value holding a registered secret is
// refused (keys live only in SecretStorage). Size-capped, so a misbehaving adapter cannot bloat
// the global state every window loads at startup.
import type { AccountStateStore } from '../../venues/descriptor';

/** The part of a VS Code Memento this needs (so core stays free of 'vscode'). */
export interface StateBackend {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface SecretCheck {
  containsSecret(text: string): boolean;
}

/** Largest serialized state per account. */
export const ACCOUNT_STATE_MAX_BYTES = 64 * 1024;
const MAX_KEY_LENGTH = 100;

export const accountStateKey = (accountId: string): string => `venueChat.accountState.v1.${accountId}`;

export class PersistedAccountState implements AccountStateStore {
  private values: Readonly<Record<string, unknown>>;

  constructor(
    private readonly backend: StateBackend,
    private readonly accountId: string,
    private readonly secrets: SecretCheck,
    private readonly maxBytes = ACCOUNT_STATE_MAX_BYTES,
  ) {
    const raw = backend.get(accountStateKey(accountId));
    // Anything but a plain object (a damaged or foreign value) starts the account afresh.
    this.values = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (JSON.parse(JSON.stringify(raw)) as Record<string, unknown>) : {};
  }

  /** A copy: callers mutating what they got do not change the store behind its back. */
  get(key: string): unknown {
    const value = this.values[key];
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
  }

  async set(key: string, value: unknown): Promise<void> {
    checkKey(key);
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      throw new TypeError(`account state "${key}" is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (json === undefined) throw new TypeError(`account state "${key}" is not JSON (use delete() to remove a value)`);
    if (this.secrets.containsSecret(json)) throw new Error(`account state "${key}" would hold a secret; secrets belong in SecretStorage`);
    const next = { ...this.values, [key]: JSON.parse(json) as unknown };
    const size = Buffer.byteLength(JSON.stringify(next), 'utf8');
    if (size > this.maxBytes) throw new RangeError(`account state would grow to ${size} bytes, over the ${this.maxBytes}-byte cap`);
    this.values = next;
    await this.backend.update(accountStateKey(this.accountId), next);
  }

  async delete(key: string): Promise<void> {
    if (!(key in this.values)) return;
    const next = { ...this.values };
    delete next[key];
    this.values = next;
    await this.backend.update(accountStateKey(this.accountId), Object.keys(next).length > 0 ? next : undefined);
  }

  /** Removes an account's state (when the account is removed). */
  static async clear(backend: StateBackend, accountId: string): Promise<void> {
    await backend.update(accountStateKey(accountId), undefined);
  }
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new RangeError(`account state keys are 1 to ${MAX_KEY_LENGTH} characters`);
}
