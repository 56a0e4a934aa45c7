// Accounts: metadata in globalState, keys only in SecretStorage (design.md §2, §8).
import * as vscode from 'vscode';
import * as z from 'zod';
import { VENUE_IDS, type VenueId } from '../../shared/model';
import { StateKeys, secretKeyFor } from './constants';

export interface AccountRecord {
  readonly id: string;
  readonly venue: VenueId;
  readonly label: string;
  /** Overrides of the venue's production endpoints (the sandbox is just another endpoint). */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly sandbox?: boolean;
  readonly createdAt: number;
}

export type Credentials = Readonly<Record<string, string>>;

const recordSchema = z.object({
  id: z.string().min(1),
  venue: z.enum(VENUE_IDS),
  label: z.string(),
  endpoints: z.record(z.string(), z.string()),
  sandbox: z.boolean().optional(),
  createdAt: z.number(),
});

const credentialsSchema = z.record(z.string(), z.string());

/** The argument object of "Add Account" for scripts, keybindings and tests. */
export const addAccountArgsSchema = z
  .object({
    venue: z.enum(VENUE_IDS),
    label: z.string().min(1).max(80),
    credentials: credentialsSchema,
    endpoints: z.record(z.string(), z.string()).optional(),
    sandbox: z.boolean().optional(),
  })
  .strict();
export type AddAccountArgs = z.infer<typeof addAccountArgsSchema>;

export class AccountRegistry {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
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

  async remove(id: string): Promise<void> {
    await this.state.update(
      StateKeys.accounts,
      this.list().filter((a) => a.id !== id),
    );
    await this.secrets.delete(secretKeyFor(id));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
