// The saved list of accounts (globalState), changed by read-modify-write without losing a change
// to VS Code's echo. globalState is one storage entry per extension: the extension host keeps a
// copy, and whenever the window reports that entry changed it replaces the copy wholesale. The
// report of an earlier write can come after a later write, so for a moment `get` returns the list
// without the later change; a read-modify-write in that moment writes the change away for good.
// (An account added a moment before a second one vanished from the list while its adapter ran on:
// gone at the next start, its keys orphaned. Found by the secrets integration test.)
// So this window's own changes are kept and laid over what globalState reads back; what another
// window adds, or changes in accounts this one has not touched, still shows through. No 'vscode' here.
import { readAccountRecords, type AccountRecord } from './accountRecord';

export interface ListBackend {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export class AccountRecordList {
  /** Records this window added or rewrote, by id. */
  private readonly written = new Map<string, AccountRecord>();
  /** Ids this window removed. */
  private readonly removed = new Set<string>();

  constructor(
    private readonly backend: ListBackend,
    private readonly key: string,
  ) {}

  /** The saved accounts, in the order they were added, with this window's changes. */
  list(): AccountRecord[] {
    const stored = readAccountRecords(this.backend.get(this.key));
    const seen = new Set<string>();
    const out: AccountRecord[] = [];
    for (const r of stored) {
      if (this.removed.has(r.id) || seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(this.written.get(r.id) ?? r);
    }
    for (const [id, r] of this.written) if (!seen.has(id)) out.push(r);
    return out;
  }

  get(id: string): AccountRecord | undefined {
    return this.list().find((a) => a.id === id);
  }

  /** Adds `record`, or rewrites the record of its id. */
  put(record: AccountRecord): Promise<void> {
    this.removed.delete(record.id);
    this.written.set(record.id, record);
    return this.save();
  }

  remove(id: string): Promise<void> {
    this.written.delete(id);
    this.removed.add(id);
    return this.save();
  }

  private async save(): Promise<void> {
    await this.backend.update(this.key, this.list());
  }
}
