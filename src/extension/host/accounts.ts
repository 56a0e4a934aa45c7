// Accounts: metadata (label, endpoints, settings) and the adapters' small state store in
// globalState; keys only in SecretStorage (docs/architecture.md, Trust boundaries).
import * as vscode from 'vscode';
import type * as Z from 'zod';
import { lazy, zod } from '../../shared/lazyZod';
import { VENUE_IDS } from '../../shared/model';
import { PersistedAccountState, type SecretCheck } from '../core/accounts/accountStateStore';
import type { AccountStateStore } from '../venues/descriptor';
import { readCredentials, type AccountRecord, type Credentials } from './accountRecord';
import { AccountRecordList } from './accountRecordList';
import { StateKeys, secretKeyFor } from './constants';

export type { AccountRecord, Credentials } from './accountRecord';

/** The argument objects of the account commands, for scripts, keybindings and tests (built on first use). */
export const accountArgsSchemas = lazy(() => {
  const z = zod();
  const credentials = z.record(z.string(), z.string());
  const settings = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
  return {
    /** "Add Account". */
    add: z
      .object({
        venue: z.enum(VENUE_IDS),
        label: z.string().min(1).max(80),
        credentials,
        /** An endpoint preset id (`production`, `testnet`, …); absent = the venue's first. */
        preset: z.string().min(1).optional(),
        endpoints: z.record(z.string(), z.string()).optional(),
        settings: settings.optional(),
        sandbox: z.boolean().optional(),
      })
      .strict(),
    /** "Update Keys": new credentials for an existing account. */
    updateKeys: z.object({ accountId: z.string().min(1), credentials }).strict(),
    /** "Account Settings…": the settings to change. */
    settings: z.object({ accountId: z.string().min(1), settings }).strict(),
  };
});
export type AddAccountArgs = Z.infer<ReturnType<typeof accountArgsSchemas>['add']>;

export class AccountRegistry {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** One state store per account, shared by its successive adapters (Update Keys swaps adapters). */
  private readonly stores = new Map<string, PersistedAccountState>();

  private readonly records: AccountRecordList;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    private readonly secretCheck: SecretCheck,
  ) {
    this.records = new AccountRecordList(state, StateKeys.accounts);
  }

  list(): AccountRecord[] {
    return this.records.list();
  }

  get(id: string): AccountRecord | undefined {
    return this.records.get(id);
  }

  async credentials(id: string): Promise<Credentials | undefined> {
    const raw = await this.secrets.get(secretKeyFor(id));
    if (!raw) return undefined;
    return readCredentials(raw);
  }

  /** Secrets first: an account never exists in the list without its keys. */
  async add(record: AccountRecord, credentials: Credentials): Promise<void> {
    await this.secrets.store(secretKeyFor(record.id), JSON.stringify(credentials));
    await this.records.put(record);
    this.changed.fire();
  }

  /** Replaces an account's keys; its metadata, state and stored messages stay. */
  async replaceCredentials(id: string, credentials: Credentials): Promise<void> {
    if (!this.get(id)) throw new Error(`no account ${id}`);
    await this.secrets.store(secretKeyFor(id), JSON.stringify(credentials));
  }

  /** Rewrites an account's metadata (settings, endpoints); its keys stay. */
  async saveRecord(record: AccountRecord): Promise<void> {
    if (!this.get(record.id)) throw new Error(`no account ${record.id}`);
    await this.records.put(record);
    this.changed.fire();
  }

  /** The account's state store (AdapterContext.state). */
  stateStore(id: string): AccountStateStore {
    let store = this.stores.get(id);
    if (!store) {
      store = new PersistedAccountState(this.state, id, this.secretCheck);
      this.stores.set(id, store);
    }
    return store;
  }

  async remove(id: string): Promise<void> {
    await this.records.remove(id);
    this.stores.delete(id);
    await PersistedAccountState.clear(this.state, id);
    await this.secrets.delete(secretKeyFor(id));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
