// Accounts: metadata (label, endpoints, settings) and the adapters' small state store in
// globalState; keys only in SecretStorage (docs/architecture.md, Trust boundaries).
import * as vscode from 'vscode';
import * as z from 'zod';
import { VENUE_IDS, type VenueId } from '../../shared/model';
import { PersistedAccountState, type SecretCheck } from '../core/accounts/accountStateStore';
import type { AccountStateStore, SettingValue } from '../venues/descriptor';
import { StateKeys, secretKeyFor } from './constants';

export interface AccountRecord {
  readonly id: string;
  readonly venue: VenueId;
  readonly label: string;
  /** Overrides of the venue's production endpoints (the sandbox is just another endpoint). */
  readonly endpoints: Readonly<Record<string, string>>;
  /** The endpoint preset the endpoints came from (absent: custom or the venue's default). */
  readonly preset?: string;
  /** Per-account settings (venue descriptor `settings`); missing ones take their defaults. */
  readonly settings?: Readonly<Record<string, SettingValue>>;
  readonly sandbox?: boolean;
  readonly createdAt: number;
}

export type Credentials = Readonly<Record<string, string>>;

const recordSchema = z.object({
  id: z.string().min(1),
  venue: z.enum(VENUE_IDS),
  label: z.string(),
  endpoints: z.record(z.string(), z.string()),
  preset: z.string().optional(),
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  sandbox: z.boolean().optional(),
  createdAt: z.number(),
});

const credentialsSchema = z.record(z.string(), z.string());
const settingsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** The argument object of "Add Account" for scripts, keybindings and tests. */
export const addAccountArgsSchema = z
  .object({
    venue: z.enum(VENUE_IDS),
    label: z.string().min(1).max(80),
    credentials: credentialsSchema,
    /** An endpoint preset id (`production`, `testnet`, …); absent = the venue's first. */
    preset: z.string().min(1).optional(),
    endpoints: z.record(z.string(), z.string()).optional(),
    settings: settingsSchema.optional(),
    sandbox: z.boolean().optional(),
  })
  .strict();
export type AddAccountArgs = z.infer<typeof addAccountArgsSchema>;

/** The argument object of "Update Keys": new credentials for an existing account. */
export const updateKeysArgsSchema = z.object({ accountId: z.string().min(1), credentials: credentialsSchema }).strict();

/** The argument object of "Account Settings…": the settings to change. */
export const accountSettingsArgsSchema = z.object({ accountId: z.string().min(1), settings: settingsSchema }).strict();

export class AccountRegistry {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** One state store per account, shared by its successive adapters (Update Keys swaps adapters). */
  private readonly stores = new Map<string, PersistedAccountState>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    private readonly secretCheck: SecretCheck,
  ) {}

  list(): AccountRecord[] {
    const raw = this.state.get<unknown>(StateKeys.accounts, []);
    const parsed = z.array(recordSchema).safeParse(raw);
    return parsed.success ? parsed.data : [];
  }

  get(id: string): AccountRecord | undefined {
    return this.list().find((a) => a.id === id);
  }

  async credentials(id: string): Promise<Credentials | undefined> {
    const raw = await this.secrets.get(secretKeyFor(id));
    if (!raw) return undefined;
    try {
      const parsed = credentialsSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Secrets first: an account never exists in the list without its keys. */
  async add(record: AccountRecord, credentials: Credentials): Promise<void> {
    await this.secrets.store(secretKeyFor(record.id), JSON.stringify(credentials));
    const others = this.list().filter((a) => a.id !== record.id);
    await this.state.update(StateKeys.accounts, [...others, record]);
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
    await this.state.update(
      StateKeys.accounts,
      this.list().map((a) => (a.id === record.id ? record : a)),
    );
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
    await this.state.update(
      StateKeys.accounts,
      this.list().filter((a) => a.id !== id),
    );
    this.stores.delete(id);
    await PersistedAccountState.clear(this.state, id);
    await this.secrets.delete(secretKeyFor(id));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
